package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Who reaches what: the bearer scheme as RFC 9110 reads it, failed admin authentications throttled
 * per client address, operator tokens too short to start with, and the actuator on the management
 * port only. Each test makes at most a few failed authentications from 127.0.0.1, which the others
 * in this class share; the throttled client is 127.0.0.2.
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessTest extends InletPerClass {

  @Test
  void theBearerSchemeIsCaseInsensitive() {
    for (String scheme : new String[] {"bearer", "BEARER", "Bearer"}) {
      HttpResponse<String> admin =
          inlet.send(
              HttpRequest.newBuilder(URI.create(inlet.url("/admin/ledger/check")))
                  .header("Authorization", scheme + " " + inlet.admin));
      assertThat(admin.statusCode()).as(scheme).isEqualTo(200);
      // The connector's token on POST /ilp: past authentication, an empty body is no Prepare.
      HttpResponse<String> ilp =
          inlet.send(
              HttpRequest.newBuilder(URI.create(inlet.ilpUrl()))
                  .header("Authorization", scheme + "  " + TestInlet.connectorToken)
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(ilp.statusCode()).as(scheme).isEqualTo(400);
    }
    HttpResponse<String> basic =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/admin/ledger/check")))
                .header("Authorization", "Basic " + inlet.admin));
    assertThat(basic.statusCode()).isEqualTo(401);
  }

  @Test
  void failedAdminAuthenticationsAreLoggedAndThrottledPerAddress(CapturedOutput log)
      throws IOException {
    String guess = "guess-" + Long.toHexString(System.nanoTime()) + "-of-at-least-32-chars";
    try (Socket client = new Socket()) {
      // A client address of its own on the loopback, so that 127.0.0.1 stays unthrottled.
      client.bind(new InetSocketAddress("127.0.0.2", 0));
      client.connect(new InetSocketAddress("127.0.0.1", inlet.port), 5_000);
      client.setSoTimeout(10_000);
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      // The default limit: 10 failures per minute.
      for (int i = 1; i <= 10; i++) {
        RawHttp.Response r = get(in, out, "Bearer " + guess, "auth-fail-" + i);
        assertThat(r.status()).as("failure %d", i).isEqualTo(401);
      }
      // Now even the right token is not looked at.
      RawHttp.Response throttled = get(in, out, "Bearer " + inlet.admin, "auth-right-late");
      assertThat(throttled.status()).isEqualTo(429);
      assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(1, 60);
      assertThat(throttled.header("Content-Type")).isEqualTo("application/problem+json");
      JsonNode problem = TestInlet.json.readTree(throttled.body());
      assertThat(problem.get("type").asString())
          .isEqualTo("urn:inlet:problem:too-many-failed-authentications");
      assertThat(problem.get("status").asInt()).isEqualTo(429);
    }
    // Another address is not throttled.
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);

    String output = log.getAll();
    assertThat(output.lines().filter(line -> line.contains("Failed authentication from")))
        .hasSize(10)
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains("WARN")
                    .contains("from 127.0.0.2 on GET /admin/ledger/check")
                    .containsPattern("\\[auth-fail-\\d+\\]"));
    assertThat(output).contains("10 failures, further requests from this address get 429");
    assertThat(output).doesNotContain("guess-").doesNotContain(inlet.admin);
  }

  @Test
  void anOperatorTokenShorterThan32CharactersRefusesTheStart(@TempDir Path dataDir) {
    assertThatThrownBy(
            () -> TestInlet.start(dataDir, Map.of("inlet.admin-token", "a".repeat(31))).close())
        .hasRootCauseMessage(
            "INLET_ADMIN_TOKEN must be at least 32 characters, not 31: set a random one, such as"
                + " the output of openssl rand -base64 32");
    assertThatThrownBy(
            () ->
                TestInlet.start(dataDir, Map.of("inlet.connector-token", "connector-token"))
                    .close())
        .rootCause()
        .hasMessageStartingWith("INLET_CONNECTOR_TOKEN must be at least 32 characters, not 15");
  }

  @Test
  void theActuatorIsOnTheManagementPortAndOnlyProbesOnTheMainPort() {
    assertThat(get(inlet.url("/actuator/prometheus")).statusCode()).isEqualTo(404);
    assertThat(get(inlet.url("/actuator/health")).statusCode()).isEqualTo(404);
    for (String probe : new String[] {"/livez", "/readyz"}) {
      HttpResponse<String> r = get(inlet.url(probe));
      assertThat(r.statusCode()).as(probe).isEqualTo(200);
      assertThat(TestInlet.json.readTree(r.body()).get("status").asString()).isEqualTo("UP");
    }

    HttpResponse<String> metrics = get(inlet.managementUrl("/actuator/prometheus"));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("inlet_received_amount_total");
    for (String path :
        new String[] {
          "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"
        }) {
      assertThat(get(inlet.managementUrl(path)).statusCode()).as(path).isEqualTo(200);
    }
    // The probes' paths cannot become payment pointers.
    assertThat(inlet.adminPost("/admin/accounts", "{\"name\":\"livez\"}").statusCode())
        .isEqualTo(400);
  }

  private static HttpResponse<String> get(String url) {
    return inlet.send(HttpRequest.newBuilder(URI.create(url)));
  }

  private static RawHttp.Response get(
      InputStream in, OutputStream out, String authorization, String requestId) throws IOException {
    String head =
        RawHttp.request(
            "GET",
            "/admin/ledger/check",
            inlet.port,
            "Authorization: " + authorization + "; X-Request-Id: " + requestId);
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return RawHttp.read(in);
  }
}
