package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.stream.StreamMoney;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /ilp} is served on Netty's pipeline ahead of Reactor Netty, which serves every other request on the
 * same connection: responses still come back in request order (HTTP/1.1 pipelining), whichever side answers and
 * however long the ledger takes, and the connection's framing survives refusals, 100 Continue and a final
 * {@code Connection: close}.
 */
class IlpPipeliningTest extends InletPerClass {
  private static final String auth = "Authorization: Bearer " + TestInlet.connectorToken;

  @BeforeAll
  static void createAccount() {
    inlet.createAccount("pia", null);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    TestSender sender = TestSender.open(inlet, "pia");
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    requests.writeBytes(ilp(sender, 100, 1, null));
    requests.writeBytes(get("/pia"));
    requests.writeBytes(RawHttp.request("POST", "/ilp", inlet.port, "Authorization: Bearer wrong", new byte[40]));
    requests.writeBytes(ilp(sender, 200, 2, null));
    requests.writeBytes(get("/a/b/c"));
    requests.writeBytes(RawHttp.request("POST", "/ilp", inlet.port, auth, "not a prepare".getBytes()));
    requests.writeBytes(ilp(sender, 300, 3, null));
    requests.writeBytes(get("/actuator/health"));
    requests.writeBytes(ilp(sender, 400, 4, "Connection: close"));
    requests.writeBytes(get("/pia")); // after Connection: close: never answered
    try (Socket socket = new Socket("localhost", inlet.port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(requests.toByteArray());
      InputStream in = socket.getInputStream();
      assertFulfilled(sender, RawHttp.read(in), 1);
      assertThat(RawHttp.read(in).header("Content-Type")).startsWith("application/spsp4+json");
      RawHttp.Response refused = RawHttp.read(in);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
      assertFulfilled(sender, RawHttp.read(in), 2);
      assertThat(text(RawHttp.read(in))).contains("urn:inlet:problem:not-found");
      assertThat(text(RawHttp.read(in))).contains("urn:inlet:problem:invalid-ilp-prepare");
      assertFulfilled(sender, RawHttp.read(in), 3);
      assertThat(text(RawHttp.read(in))).contains("\"UP\"");
      RawHttp.Response last = RawHttp.read(in);
      assertFulfilled(sender, last, 4);
      assertThat(last.header("Connection")).isEqualTo("close");
      assertThat(in.read()).as("closed after Connection: close").isEqualTo(-1);
    }
    assertThat(inlet.balance("pia")).isEqualTo(1_000);
  }

  @Test
  void expectContinueGetsA100ThenTheAnswer() throws Exception {
    TestSender sender = TestSender.open(inlet, "pia");
    byte[] body = IlpCodec.encode(sender.prepare(5, 1, 0, new StreamMoney(1, 1)));
    try (Socket socket = new Socket("localhost", inlet.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(RawHttp.request("POST", "/ilp", inlet.port, auth + "; Expect: 100-continue; Content-Length: "
          + body.length).getBytes(StandardCharsets.US_ASCII));
      assertThat(RawHttp.read(in).status()).isEqualTo(100);
      out.write(body);
      assertFulfilled(sender, RawHttp.read(in), 1);
      // Too large for a Prepare: refused before the body is sent, and the connection closed.
      out.write(RawHttp.request("POST", "/ilp", inlet.port, auth + "; Expect: 100-continue; Content-Length: 40000")
          .getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response tooLarge = RawHttp.read(in);
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.header("Connection")).isEqualTo("close");
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aRefusedBodyIsReadAndDroppedAndTheConnectionGoesOn() throws Exception {
    TestSender sender = TestSender.open(inlet, "pia");
    try (Socket socket = new Socket("localhost", inlet.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // A body that looks like requests must not be taken for them.
      out.write(RawHttp.request("POST", "/ilp", inlet.port, "Authorization: Bearer wrong", get("/a/b/c")));
      out.write(ilp(sender, 7, 1, null));
      assertThat(RawHttp.read(in).status()).isEqualTo(401);
      assertFulfilled(sender, RawHttp.read(in), 1);
    }
  }

  private static byte[] ilp(TestSender sender, long amount, long sequence, String headers) {
    byte[] body = IlpCodec.encode(sender.prepare(amount, sequence, 0, new StreamMoney(1, 1)));
    return RawHttp.request("POST", "/ilp", inlet.port, headers == null ? auth : auth + "; " + headers, body);
  }

  private static byte[] get(String path) {
    return RawHttp.request("GET", path, inlet.port, null).getBytes(StandardCharsets.US_ASCII);
  }

  private static void assertFulfilled(TestSender sender, RawHttp.Response response, long sequence) {
    assertThat(response.status()).as(response.head()).isEqualTo(200);
    TestSender.Reply reply = sender.reply(response.body());
    assertThat(reply.fulfilled()).as("fulfilled: %s", reply.packet()).isTrue();
    assertThat(reply.stream().sequence()).isEqualTo(sequence);
  }

  private static String text(RawHttp.Response response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
