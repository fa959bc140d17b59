package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.stream.StreamMoney;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * On the ILP-over-HTTP port a request's head and whole body must arrive within {@code
 * inlet.ilp-request-timeout} from its first byte: a client that trickles one byte at a time, each
 * well within the idle timeout, is answered 408 and cut off at the deadline, while other
 * connections are served meanwhile. A Prepare answered before the late request on the same
 * connection still gets its answer first.
 */
class IlpRequestDeadlineTest {
  private static final long deadlineMillis = 1_500;
  private static final long byteEveryMillis = 200;
  private static final String auth = "Authorization: Bearer " + TestInlet.connectorToken;
  @TempDir static Path dataDir;
  static TestInlet inlet;

  @BeforeAll
  static void start() {
    inlet = TestInlet.start(dataDir, Map.of("inlet.ilp-request-timeout", deadlineMillis + "ms"));
    inlet.createAccount("tom", null);
  }

  @AfterAll
  static void stop() {
    inlet.close();
  }

  @Test
  void aTrickledHeadIsCutOffAtTheDeadlineWhileAnotherConnectionIsServed() throws Exception {
    TestSender sender = TestSender.open(inlet, "tom");
    byte[] trickled =
        RawHttp.request("POST", "/ilp", inlet.ilpPort, auth + "; Content-Length: 40")
            .getBytes(StandardCharsets.US_ASCII);
    try (Socket slow = new Socket("localhost", inlet.ilpPort)) {
      long started = System.nanoTime();
      int sent = trickle(slow, trickled, () -> sender.send(1, new StreamMoney(1, 1)).fulfilled());
      long cutAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(sent).as("bytes sent before the cut").isLessThan(trickled.length);
      assertThat(cutAfter).isBetween(deadlineMillis - byteEveryMillis, deadlineMillis + 3_000);
      slow.setSoTimeout(5_000);
      RawHttp.Response answer = RawHttp.read(slow.getInputStream());
      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.header("Connection")).isEqualTo("close");
      assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(new String(answer.body(), StandardCharsets.UTF_8))
          .contains("urn:inlet:problem:request-timeout");
      assertThat(slow.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(inlet.balance("tom")).as("the fast connection's Prepares").isPositive();
  }

  @Test
  void aTrickledBodyIsCutOffAfterTheAnswerToTheRequestBeforeIt() throws Exception {
    TestSender sender = TestSender.open(inlet, "tom");
    byte[] first = ilpPost(IlpCodec.encode(sender.prepare(7, 1, 0, new StreamMoney(1, 1))));
    byte[] body = IlpCodec.encode(sender.prepare(11, 2, 0, new StreamMoney(1, 1)));
    byte[] second = ilpPost(body);
    int headLength = second.length - body.length;
    try (Socket slow = new Socket("localhost", inlet.ilpPort)) {
      OutputStream out = slow.getOutputStream();
      // The first request whole, then the second's head and the start of its body; then a byte at a
      // time.
      out.write(first);
      out.write(Arrays.copyOf(second, headLength + 1));
      out.flush();
      slow.setSoTimeout(5_000);
      InputStream in = slow.getInputStream();
      RawHttp.Response answer = RawHttp.read(in);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(sender.reply(answer.body()).fulfilled()).isTrue();
      int sent =
          trickle(slow, Arrays.copyOfRange(second, headLength + 1, second.length), () -> true);
      assertThat(sent).isLessThan(body.length - 1);
      RawHttp.Response late = RawHttp.read(in);
      assertThat(late.status()).isEqualTo(408);
      assertThat(late.header("Connection")).isEqualTo("close");
      assertThat(in.read()).isEqualTo(-1);
    }
    JsonNode check = TestInlet.json.readTree(inlet.adminGet("/admin/ledger/check").body());
    assertThat(check.get("consistent").asBoolean()).isTrue();
  }

  @Test
  void aRequestSentWithinTheDeadlineIsServedHoweverSlowly() throws Exception {
    TestSender sender = TestSender.open(inlet, "tom");
    byte[] request = ilpPost(IlpCodec.encode(sender.prepare(3, 1, 0, new StreamMoney(1, 1))));
    try (Socket socket = new Socket("localhost", inlet.ilpPort)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      // In three parts, well within the deadline in all.
      int third = request.length / 3;
      for (int part = 0; part < 3; part++) {
        out.write(request, part * third, part == 2 ? request.length - 2 * third : third);
        out.flush();
        Thread.sleep(deadlineMillis / 5);
      }
      RawHttp.Response answer = RawHttp.read(socket.getInputStream());
      assertThat(answer.status()).isEqualTo(200);
      assertThat(sender.reply(answer.body()).fulfilled()).isTrue();
    }
  }

  /**
   * Writes {@code bytes} one at a time, {@link #byteEveryMillis} apart, running {@code meanwhile}
   * (which must hold) between bytes, until the server closes the connection or all are sent.
   *
   * @return how many bytes were written before the server stopped taking them
   */
  private static int trickle(Socket socket, byte[] bytes, Check meanwhile) throws Exception {
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    for (int i = 0; i < bytes.length; i++) {
      if (in.available() > 0) {
        return i; // answered: the server has given up on this request
      }
      try {
        out.write(bytes[i]);
        out.flush();
      } catch (IOException closed) {
        return i;
      }
      assertThat(meanwhile.holds()).as("served meanwhile").isTrue();
      Thread.sleep(byteEveryMillis);
    }
    return bytes.length;
  }

  @FunctionalInterface
  private interface Check {
    boolean holds() throws Exception;
  }

  /** A whole {@code POST /ilp} request on the ILP port, with the connector's token. */
  private static byte[] ilpPost(byte[] body) {
    return RawHttp.request("POST", "/ilp", inlet.ilpPort, auth, body);
  }
}
