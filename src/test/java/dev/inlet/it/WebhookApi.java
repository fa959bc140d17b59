package dev.inlet.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Test helpers for webhooks: merchants, merchant API calls, events written by SQL, waiting. */
final class WebhookApi {
  private WebhookApi() {}

  /** Creates a merchant and returns its API key. */
  static String merchant(TestInlet inlet, String name) {
    HttpResponse<String> r = inlet.adminPost("/admin/merchants", "{\"name\":\"" + name + "\"}");
    if (r.statusCode() != 201) {
      throw new AssertionError("merchant creation: " + r.statusCode() + " " + r.body());
    }
    return TestInlet.json.readTree(r.body()).get("api_key").asString();
  }

  /** A merchant API request with {@code key} (none when null) and a JSON body (none when null). */
  static HttpResponse<String> call(
      TestInlet inlet, String method, String path, String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(inlet.url(path)));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return inlet.send(b);
  }

  /** Creates a webhook and returns its JSON (with the secret). */
  static JsonNode createWebhook(TestInlet inlet, String key, String url, String... events) {
    String list = String.join("\",\"", events);
    HttpResponse<String> r =
        call(
            inlet,
            "POST",
            "/v1/webhooks",
            key,
            "{\"url\":\"" + url + "\",\"events\":[\"" + list + "\"]}");
    if (r.statusCode() != 201) {
      throw new AssertionError("webhook creation: " + r.statusCode() + " " + r.body());
    }
    return TestInlet.json.readTree(r.body());
  }

  /** The webhook's first page of deliveries. */
  static JsonNode deliveries(TestInlet inlet, String key, String webhookId) {
    HttpResponse<String> r =
        call(inlet, "GET", "/v1/webhooks/" + webhookId + "/deliveries", key, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("deliveries: " + r.statusCode() + " " + r.body());
    }
    return TestInlet.json.readTree(r.body()).get("items");
  }

  /** The state of the webhook's newest delivery, or "" while it has none. */
  static String firstState(TestInlet inlet, String key, String webhookId) {
    JsonNode items = deliveries(inlet, key, webhookId);
    return items.isEmpty() ? "" : items.get(0).get("state").asString();
  }

  static JdbcClient sql(TestInlet inlet) {
    return JdbcClient.create(inlet.bean(DataSource.class));
  }

  /** Writes an event of the merchant as the outbox's writers do, and returns its id. */
  static long insertEvent(TestInlet inlet, String merchant, String type, String data) {
    return sql(inlet)
        .sql(
            "INSERT INTO events (merchant_id, type, data) "
                + "SELECT id, ?, ?::jsonb FROM merchants WHERE name = ? RETURNING id")
        .params(type, data, merchant)
        .query(Long.class)
        .single();
  }

  /** Waits up to {@code timeout} for {@code condition}. */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
