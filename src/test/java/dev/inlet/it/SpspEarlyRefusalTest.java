package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPSP rate limit on the event loop ({@code SpspEarlyRefusal}) and in the web filter behind it,
 * on one kept-alive connection, byte for byte: answers in order, each query counted once, both
 * refusals alike. ({@link AdmissionTest} covers the limit as a client library sees it.)
 */
class SpspEarlyRefusalTest {
  @TempDir static Path dataDir;
  static TestInlet inlet;

  @BeforeAll
  static void start() {
    inlet =
        TestInlet.start(
            dataDir,
            Map.of(
                "inlet.trusted-proxies", "127.0.0.1,::1",
                "inlet.spsp-rate-per-client", "5",
                "inlet.spsp-burst-per-client", "10"));
  }

  @AfterAll
  static void stop() {
    inlet.close();
  }

  @Test
  void pipelinedQueriesAreAnsweredInOrderEachCountedOnceAndRefusedAlike() throws Exception {
    inlet.createAccount("pipelined", null);
    // Fifteen queries of one client in one write (burst 10): the first is decided on the event loop
    // ahead of WebFlux, the fourteen pipelined behind it by the web filter. A client's copy of the
    // early check's mark changes nothing.
    String headers =
        "Accept: application/spsp4+json; X-Forwarded-For: 203.0.113.21;"
            + " Origin: https://shop.example; Inlet-Spsp-Admitted: yes";
    StringBuilder pipelined = new StringBuilder();
    for (int i = 0; i < 15; i++) {
      pipelined.append(
          RawHttp.request("GET", "/pipelined", inlet.port, headers + "; X-Request-Id: q" + i));
    }
    try (Socket socket = new Socket("127.0.0.1", inlet.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      out.write(pipelined.toString().getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response byFilter = null;
      for (int i = 0; i < 15; i++) {
        RawHttp.Response r = RawHttp.read(in);
        assertThat(r.status()).as("answer %d", i).isEqualTo(i < 10 ? 200 : 429);
        assertThat(r.header("X-Request-Id")).isEqualTo("q" + i);
        byFilter = r;
      }
      // One at a time on the same connection: refused on the event loop, the same answer. Its body
      // (a GET may have one) is read and dropped, not taken for the next request.
      out.write(
          RawHttp.request(
              "GET",
              "/pipelined",
              inlet.port,
              headers + "; X-Request-Id: early",
              "GET /not/a/pointer HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      RawHttp.Response early = RawHttp.read(in);
      for (RawHttp.Response r : List.of(byFilter, early)) {
        assertThat(r.status()).isEqualTo(429);
        assertThat(new String(r.body(), StandardCharsets.UTF_8))
            .contains("\"type\":\"urn:inlet:problem:sender-quota\"");
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 2L);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.head()).containsIgnoringCase("Vary: Origin");
      }
      assertThat(early.header("X-Request-Id")).isEqualTo("early");
      assertThat(early.body()).isEqualTo(byFilter.body());
      // The connection stays open for the client's next query.
      out.write(
          RawHttp.request("GET", "/pipelined", inlet.port, "X-Forwarded-For: 203.0.113.22")
              .getBytes(StandardCharsets.US_ASCII));
      assertThat(RawHttp.read(in).status()).isEqualTo(200);
    }
  }
}
