package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A merchant of a {@link TestInlet}, made through the admin API, calling the merchant API ({@code
 * /v1}) with its API key.
 */
final class MerchantClient {
  final TestInlet inlet;
  final String name;
  final String apiKey;

  private MerchantClient(TestInlet inlet, String name, String apiKey) {
    this.inlet = inlet;
    this.name = name;
    this.apiKey = apiKey;
  }

  /** Creates merchant {@code name} with accounts {@code accounts}. */
  static MerchantClient create(TestInlet inlet, String name, String... accounts) {
    HttpResponse<String> r = inlet.adminPost("/admin/merchants", "{\"name\":\"" + name + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    MerchantClient m =
        new MerchantClient(
            inlet, name, TestInlet.json.readTree(r.body()).get("api_key").asString());
    for (String account : accounts) {
      HttpResponse<String> a =
          inlet.adminPost(
              "/admin/accounts", "{\"name\":\"" + account + "\",\"merchant\":\"" + name + "\"}");
      assertThat(a.statusCode()).as(a.body()).isEqualTo(201);
    }
    return m;
  }

  /** The same merchant calling another replica. */
  MerchantClient on(TestInlet replica) {
    return new MerchantClient(replica, name, apiKey);
  }

  HttpResponse<String> get(String path) {
    return inlet.send(request(path).GET());
  }

  HttpResponse<String> post(String path, String body) {
    return post(path, body, Map.of());
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b =
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return inlet.send(b);
  }

  /** The body of a 2xx answer, else an assertion error. */
  static JsonNode ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return TestInlet.json.readTree(r.body());
  }

  /** Asserts {@code r} is a problem document of that status and {@code urn:inlet:problem:slug}. */
  static void assertProblem(HttpResponse<String> r, int status, String slug) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode body = TestInlet.json.readTree(r.body());
    assertThat(body.get("type").asString()).isEqualTo("urn:inlet:problem:" + slug);
    assertThat(body.get("status").asInt()).isEqualTo(status);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(inlet.url(path)))
        .header("Authorization", "Bearer " + apiKey);
  }
}
