package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.stream.StreamMoney;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

/**
 * Idle connections are closed ({@code inlet.idle-timeout}, 60 s in application.yaml), on the
 * ILP-over-HTTP port and on the web server's (whose {@code server.netty.idle-timeout} follows it):
 * a client that opens connections and sends nothing, or stops after an answer, cannot hold the
 * server's sockets forever. A request waiting for the ledger is not idle: the timeout counts only
 * while no answer is pending.
 */
class IdleConnectionTest {
  @TempDir Path dataDir;

  @Test
  void theDefaultIdleTimeoutIsAMinute() throws Exception {
    var yaml =
        new YamlPropertySourceLoader()
            .load("application", new ClassPathResource("application.yaml"));
    assertThat(yaml.get(0).getProperty("inlet.idle-timeout")).hasToString("60s");
  }

  @Test
  void connectionsIdleForTheTimeoutAreClosed() throws Exception {
    try (TestInlet inlet = TestInlet.start(dataDir, Map.of("inlet.idle-timeout", "1s"))) {
      for (int port : new int[] {inlet.port, inlet.ilpPort}) {
        // Never a request.
        try (Socket socket = new Socket("localhost", port)) {
          assertClosedWithin(socket, Duration.ofSeconds(10));
        }
        // Kept alive after an answer, then silent.
        try (Socket socket = new Socket("localhost", port)) {
          socket
              .getOutputStream()
              .write(
                  ("GET /no/such/page HTTP/1.1\r\nHost: localhost\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
          socket.setSoTimeout(5_000);
          RawHttp.Response answer = RawHttp.read(socket.getInputStream());
          assertThat(answer.status()).as("port %d", port).isEqualTo(404);
          assertThat(answer.header("Connection")).isNull();
          assertClosedWithin(socket, Duration.ofSeconds(10));
        }
      }
    }
  }

  @Test
  void aPrepareWaitingForTheLedgerIsNotIdle() throws Exception {
    try (TestInlet inlet = TestInlet.start(dataDir, Map.of("inlet.idle-timeout", "1s"))) {
      inlet.createAccount("ida", null);
      TestSender sender = TestSender.open(inlet, "ida");
      byte[] request =
          RawHttp.request(
              "POST",
              "/ilp",
              inlet.ilpPort,
              "Authorization: Bearer " + TestInlet.connectorToken,
              IlpCodec.encode(sender.prepare(10, 1, 0, new StreamMoney(1, 1))));
      try (Connection db = inlet.bean(DataSource.class).getConnection();
          Socket socket = new Socket("localhost", inlet.ilpPort)) {
        // A real slow ledger: the batch that credits the account waits for this transaction's row
        // lock.
        db.setAutoCommit(false);
        db.createStatement().execute("SELECT 1 FROM accounts WHERE name = 'ida' FOR UPDATE");
        socket.getOutputStream().write(request);
        socket.setSoTimeout(3_000);
        assertThatThrownBy(() -> socket.getInputStream().read())
            .as("neither answered nor closed for three idle timeouts")
            .isInstanceOf(SocketTimeoutException.class);
        db.commit();
        socket.setSoTimeout(10_000);
        RawHttp.Response answer = RawHttp.read(socket.getInputStream());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(sender.reply(answer.body()).fulfilled()).isTrue();
        // Then silent, so idle.
        assertClosedWithin(socket, Duration.ofSeconds(10));
      }
      assertThat(inlet.balance("ida")).isEqualTo(10);
    }
  }

  @Test
  void theWebServersIdleTimeoutFollowsInlets() throws Exception {
    var yaml =
        new YamlPropertySourceLoader()
            .load("application", new ClassPathResource("application.yaml"));
    assertThat(yaml.get(0).getProperty("server.netty.idle-timeout"))
        .hasToString("${inlet.idle-timeout}");
  }

  /**
   * Reads until the server closes: the rest of any answer, then end of stream, within {@code
   * limit}.
   */
  private static void assertClosedWithin(Socket socket, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    socket.setSoTimeout((int) limit.toMillis());
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (in.read(buffer) >= 0) {
      assertThat(System.nanoTime()).as("closed within %s", limit).isLessThan(deadline);
    }
  }
}
