package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * SPSP (RFC 0009) and the admin API over HTTP: bodies, headers, and problem documents (RFC 9457)
 * for errors.
 */
class HttpApiTest extends InletPerClass {

  @BeforeAll
  static void createAccounts() {
    inlet.createAccount(defaultAccount, null);
    inlet.createAccount("dave", null);
  }

  @Test
  void spspQueryReturnsFreshAddressAndSecretEachTime() {
    HttpResponse<String> first = spsp("/dave", Map.of());
    HttpResponse<String> second = spsp("/dave", Map.of());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValue("application/spsp4+json");
    assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode a = TestInlet.json.readTree(first.body());
    JsonNode b = TestInlet.json.readTree(second.body());
    assertThat(a.get("destination_account").asString()).startsWith("test.inlet.dave.");
    assertThat(Base64.getDecoder().decode(a.get("shared_secret").asString())).hasSize(32);
    assertThat(a.get("receipts_enabled").asBoolean()).isFalse();
    assertThat(b.get("destination_account").asString())
        .isNotEqualTo(a.get("destination_account").asString());
    assertThat(b.get("shared_secret").asString()).isNotEqualTo(a.get("shared_secret").asString());
  }

  @Test
  void wellKnownPayServesTheDefaultAccount() {
    HttpResponse<String> r = spsp("/.well-known/pay", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestInlet.json.readTree(r.body()).get("destination_account").asString())
        .startsWith("test.inlet." + defaultAccount + ".");
  }

  @Test
  void spspAllowsBrowsersCrossOrigin() {
    HttpResponse<String> get = spsp("/dave", Map.of("Origin", "https://blog.example"));
    assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    HttpResponse<String> preflight =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/dave")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://blog.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "receipt-nonce, receipt-secret"));
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(
            preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
        .contains("receipt-nonce")
        .contains("receipt-secret");
  }

  @Test
  void spspWithReceiptHeadersEnablesReceipts() {
    String nonce = Base64.getEncoder().encodeToString(new byte[16]);
    String secret = Base64.getEncoder().encodeToString(new byte[32]);
    HttpResponse<String> r =
        spsp("/dave", Map.of("Receipt-Nonce", nonce, "Receipt-Secret", secret));
    assertThat(TestInlet.json.readTree(r.body()).get("receipts_enabled").asBoolean()).isTrue();
  }

  @Test
  void spspRejectsMalformedReceiptHeadersWith400() {
    assertProblem(
        spsp("/dave", Map.of("Receipt-Nonce", "not base64!", "Receipt-Secret", "AAAA")),
        400,
        "urn:inlet:problem:invalid-receipt-headers");
    assertProblem(
        spsp("/dave", Map.of("Receipt-Nonce", Base64.getEncoder().encodeToString(new byte[16]))),
        400,
        "urn:inlet:problem:invalid-receipt-headers");
  }

  @Test
  void unknownAccountIs404Problem() {
    assertProblem(spsp("/nobody", Map.of()), 404, "urn:inlet:problem:unknown-account");
    assertProblem(
        inlet.adminGet("/admin/accounts/nobody"), 404, "urn:inlet:problem:unknown-account");
    assertProblem(
        inlet.adminGet("/admin/accounts/nobody/connections"),
        404,
        "urn:inlet:problem:unknown-account");
  }

  @Test
  void adminApiRequiresTheBearerToken() {
    HttpResponse<String> none =
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/admin/accounts/dave"))));
    assertProblem(none, 401, "urn:inlet:problem:unauthorized");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    HttpResponse<String> wrong =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/admin/accounts/dave")))
                .header("Authorization", "Bearer " + TestInlet.connectorToken));
    assertProblem(wrong, 401, "urn:inlet:problem:unauthorized");
  }

  @Test
  void createAccountValidatesItsBody() {
    assertProblem(
        inlet.adminPost("/admin/accounts", "{\"name\":\"has space\"}"),
        400,
        "urn:inlet:problem:invalid-account-name");
    assertProblem(
        inlet.adminPost("/admin/accounts", "{\"name\":\"ilp\"}"),
        400,
        "urn:inlet:problem:invalid-account-name");
    assertProblem(
        inlet.adminPost("/admin/accounts", "{\"name\":"),
        400,
        "urn:inlet:problem:invalid-request-body");
    assertProblem(
        inlet.adminPost("/admin/accounts", "[]"), 400, "urn:inlet:problem:invalid-request-body");
    assertProblem(
        inlet.adminPost("/admin/accounts", "{\"name\":\"eve\",\"receive_limit\":\"-1\"}"),
        400,
        "urn:inlet:problem:invalid-amount");
    assertProblem(
        inlet.adminPost(
            "/admin/accounts", "{\"name\":\"eve\",\"receive_limit\":\"18446744073709551616\"}"),
        400,
        "urn:inlet:problem:invalid-amount");
    assertProblem(
        inlet.adminPost("/admin/accounts", "{\"name\":\"x\",\"pad\":\"" + "y".repeat(5000) + "\"}"),
        413,
        "urn:inlet:problem:invalid-request-body");
    assertProblem(
        inlet.adminPost("/admin/accounts", "{\"name\":\"dave\"}"),
        409,
        "urn:inlet:problem:account-exists");
    assertThat(inlet.adminGet("/admin/accounts/eve").statusCode()).isEqualTo(404);
  }

  @Test
  void createdAccountShowsItsPaymentPointerAndBalance() {
    JsonNode created = inlet.createAccount("frank", "18446744073709551615");
    assertThat(created.get("payment_pointer").asString())
        .isEqualTo("$localhost:" + inlet.port + "/frank");
    assertThat(created.get("balance").asString()).isEqualTo("0");
    assertThat(created.get("receive_limit").asString()).isEqualTo("18446744073709551615");
    assertThat(created.get("asset_code").asString()).isEqualTo("USD");
    assertThat(created.get("asset_scale").asInt()).isEqualTo(9);
  }

  @Test
  void anOversizedBodyDoesNotStallTheNextRequestOnTheConnection() {
    for (int i = 0; i < 5; i++) {
      // 413 before the whole body is read: the server drops the rest of it, and must not take it
      // for the next request.
      assertThat(inlet.postIlp(new byte[256 * 1024]).statusCode()).isEqualTo(413);
      HttpResponse<String> next =
          inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/dave"))));
      assertThat(next.statusCode()).isEqualTo(200);
      for (int size : new int[] {5_000, 200_000}) {
        assertProblem(
            inlet.adminPost(
                "/admin/accounts", "{\"name\":\"x\",\"pad\":\"" + "y".repeat(size) + "\"}"),
            413,
            "urn:inlet:problem:invalid-request-body");
        for (int k = 0; k < 4; k++) {
          assertThat(inlet.adminGet("/admin/accounts/dave").statusCode()).isEqualTo(200);
          assertThat(
                  inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/dave")))).statusCode())
              .isEqualTo(200);
        }
      }
    }
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    HttpResponse<String> r = inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/a/b/c"))));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void ilpIsOnlyPostOnItsOwnPortAndKeepsItsRequestIds() {
    HttpResponse<String> traced = postIlp(inlet.ilpUrl(), "trace-me-7");
    assertProblem(traced, 400, "urn:inlet:problem:invalid-ilp-prepare");
    assertThat(traced.headers().firstValue("X-Request-Id")).hasValue("trace-me-7");
    String first =
        postIlp(inlet.ilpUrl("/ilp?x=1"), "not a sane id")
            .headers()
            .firstValue("X-Request-Id")
            .orElseThrow();
    String second =
        postIlp(inlet.ilpUrl(), null).headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(first).isNotEqualTo(second).matches("[A-Za-z0-9._-]{1,64}");
    // Its port serves POST /ilp and nothing else.
    HttpResponse<String> get = inlet.send(HttpRequest.newBuilder(URI.create(inlet.ilpUrl())));
    assertProblem(get, 405, "urn:inlet:problem:method-not-allowed");
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertProblem(
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.ilpUrl()))
                .PUT(HttpRequest.BodyPublishers.ofString("x"))),
        405,
        "urn:inlet:problem:method-not-allowed");
    assertProblem(postIlp(inlet.ilpUrl("/ilp/"), null), 404, "urn:inlet:problem:not-found");
    assertProblem(
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.ilpUrl("/dave")))),
        404,
        "urn:inlet:problem:not-found");
    assertProblem(
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.ilpUrl("/actuator/health")))),
        404,
        "urn:inlet:problem:not-found");
    // And the public port no longer serves it.
    assertProblem(postIlp(inlet.url("/ilp"), null), 404, "urn:inlet:problem:not-found");
  }

  @Test
  void healthIsUp() {
    HttpResponse<String> r =
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.managementUrl("/actuator/health"))));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestInlet.json.readTree(r.body()).get("status").asString()).isEqualTo("UP");
  }

  /**
   * An empty POST to {@code url} with the connector's token and, unless null, an {@code
   * X-Request-Id}.
   */
  private static HttpResponse<String> postIlp(String url, String requestId) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + TestInlet.connectorToken)
            .POST(HttpRequest.BodyPublishers.noBody());
    if (requestId != null) {
      b.header("X-Request-Id", requestId);
    }
    return inlet.send(b);
  }

  private static HttpResponse<String> spsp(String path, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(inlet.url(path)))
            .header("Accept", "application/spsp4+json");
    headers.forEach(b::header);
    return inlet.send(b);
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode body = TestInlet.json.readTree(r.body());
    assertThat(body.get("type").asString()).isEqualTo(type);
    assertThat(body.get("status").asInt()).isEqualTo(status);
  }
}
