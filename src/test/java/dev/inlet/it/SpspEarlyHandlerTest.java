package dev.inlet.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.stream.StreamMoney;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * SPSP queries on the event loop ({@code SpspEarlyHandler}) and in WebFlux behind it, on one
 * kept-alive connection, byte for byte: the rate limit's answers in order, each query counted once,
 * both refusals alike; an admitted query answered early as WebFlux answers it, with credentials
 * that pay. ({@link AdmissionTest} covers the limit as a client library sees it.)
 */
class SpspEarlyHandlerTest {
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

  @Test
  void anAdmittedQueryOfAKnownAccountIsAnsweredOnTheEventLoopAsWebFluxAnswersIt() throws Exception {
    inlet.createAccount("early", null);
    String receipts =
        "Receipt-Nonce: "
            + Base64.getEncoder().encodeToString(new byte[16])
            + "; Receipt-Secret: "
            + Base64.getEncoder().encodeToString(new byte[32]);
    String headers = "X-Forwarded-For: 203.0.113.31; Origin: https://wallet.example; " + receipts;
    try (Socket socket = new Socket("127.0.0.1", inlet.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      // The first query finds the account through WebFlux; the next, within the second its open
      // connections were counted in, is answered on the event loop.
      List<RawHttp.Response> answers = new ArrayList<>();
      List<Double> counted = new ArrayList<>(List.of(earlyAnswers()));
      for (String id : List.of("webflux", "early")) {
        out.write(
            RawHttp.request("GET", "/early", inlet.port, headers + "; X-Request-Id: " + id)
                .getBytes(StandardCharsets.US_ASCII));
        answers.add(RawHttp.read(in));
        counted.add(earlyAnswers());
      }
      assertThat(counted).containsExactly(counted.get(0), counted.get(0), counted.get(0) + 1);
      List<JsonNode> bodies = new ArrayList<>();
      for (RawHttp.Response r : answers) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(headerLines(r)).isEqualTo(headerLines(answers.get(0)));
        JsonNode body = TestInlet.json.readTree(r.body());
        assertThat(body.propertyNames())
            .containsExactly("destination_account", "shared_secret", "receipts_enabled");
        assertThat(body.get("destination_account").asString()).startsWith("test.inlet.early.");
        assertThat(body.get("receipts_enabled").asBoolean()).isTrue();
        bodies.add(body);
      }
      assertThat(answers.get(1).header("X-Request-Id")).isEqualTo("early");
      assertThat(answers.get(1).header("Content-Type")).isEqualTo("application/spsp4+json");
      assertThat(answers.get(1).header("Cache-Control")).isEqualTo("no-store");
      assertThat(bodies.get(1).get("shared_secret"))
          .isNotEqualTo(bodies.get(0).get("shared_secret"));
      // Both credentials open a connection that pays into the account.
      for (RawHttp.Response r : answers) {
        TestSender sender = TestSender.answered(inlet, new String(r.body(), UTF_8));
        assertThat(sender.send(100, new StreamMoney(1, 1)).fulfilled()).isTrue();
      }
      assertThat(inlet.balance("early")).isEqualTo(200);
      // After a quiet second its count has expired: the next query waits, held on the event loop,
      // for the count made in the background, and is answered early all the same.
      Thread.sleep(1_100);
      out.write(
          RawHttp.request("GET", "/early", inlet.port, headers + "; X-Request-Id: held")
              .getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response held = RawHttp.read(in);
      assertThat(held.status()).isEqualTo(200);
      assertThat(held.header("X-Request-Id")).isEqualTo("held");
      assertThat(headerLines(held)).isEqualTo(headerLines(answers.get(0)));
      assertThat(earlyAnswers()).isEqualTo(counted.get(0) + 2);
      // A malformed receipt header is left to WebFlux's problem document.
      out.write(
          RawHttp.request(
                  "GET", "/early", inlet.port, "X-Forwarded-For: 203.0.113.31; Receipt-Nonce: AAAA")
              .getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response bad = RawHttp.read(in);
      assertThat(bad.status()).isEqualTo(400);
      assertThat(new String(bad.body(), UTF_8))
          .contains("\"type\":\"urn:inlet:problem:invalid-receipt-headers\"");
      assertThat(earlyAnswers()).isEqualTo(counted.get(0) + 2);
    }
  }

  /** The head's header lines but the request id's, lower case, sorted. */
  private static List<String> headerLines(RawHttp.Response r) {
    return r.head()
        .lines()
        .skip(1)
        .map(line -> line.toLowerCase(Locale.ROOT))
        .filter(line -> !line.startsWith("x-request-id:"))
        .sorted()
        .toList();
  }

  private static double earlyAnswers() {
    String metrics =
        inlet
            .send(
                HttpRequest.newBuilder(URI.create(inlet.managementUrl("/actuator/prometheus")))
                    .GET())
            .body();
    Matcher m =
        Pattern.compile("(?m)^inlet_spsp_early_answers_total\\{[^}]*\\} (\\S+)$").matcher(metrics);
    assertThat(m.find()).as("inlet_spsp_early_answers_total in %s", metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
