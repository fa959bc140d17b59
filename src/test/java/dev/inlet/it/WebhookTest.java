package dev.inlet.it;

import static dev.inlet.it.WebhookApi.await;
import static dev.inlet.it.WebhookApi.call;
import static dev.inlet.it.WebhookApi.createWebhook;
import static dev.inlet.it.WebhookApi.deliveries;
import static dev.inlet.it.WebhookApi.insertEvent;
import static dev.inlet.it.WebhookApi.merchant;
import static dev.inlet.it.WebhookApi.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end: a real HTTP endpoint in the test verifies each delivery's signature; failed
 * attempts are retried with backoff, recorded, failed after the last attempt and sent again on
 * request; only subscribed types go out; merchants see only their own webhooks.
 */
class WebhookTest {
  private static final Duration wait = Duration.ofSeconds(20);
  private static final String completed = "{\"id\":\"inv_test\",\"state\":\"completed\"}";

  @TempDir static Path dataDir;
  static TestInlet inlet;

  @BeforeAll
  static void start() {
    inlet =
        TestInlet.start(
            dataDir,
            Map.of(
                "inlet.webhook.allow-private", "true",
                "inlet.webhook.retry-base", "200ms",
                "inlet.webhook.max-attempts", "3",
                "inlet.webhook.timeout", "2s",
                "inlet.webhook.max-per-merchant", "2"));
  }

  @AfterAll
  static void stop() {
    inlet.close();
  }

  @Test
  void aFailedAttemptIsRetriedAndEveryAttemptIsSigned() {
    String key = merchant(inlet, "retried");
    try (WebhookReceiver receiver = new WebhookReceiver(n -> n == 1 ? 500 : 200)) {
      JsonNode hook = createWebhook(inlet, key, receiver.url(), "invoice.completed");
      receiver.secret(hook.get("secret").asString());
      assertThat(hook.get("id").asString()).matches("wh_[a-z2-7]{26}");
      assertThat(hook.get("secret").asString()).startsWith("whsec_");
      long event = insertEvent(inlet, "retried", "invoice.completed", completed);

      await(wait, "two attempts", () -> receiver.received.size() >= 2);
      String body =
          sql(inlet)
              .sql("SELECT inlet_event_json(e)::text FROM events e WHERE id = ?")
              .param(event)
              .query(String.class)
              .single();
      for (WebhookReceiver.Received r : receiver.received) {
        assertThat(r.signatureValid()).isTrue();
        assertThat(r.body()).isEqualTo(body);
        assertThat(r.header("Inlet-Event-Id")).isEqualTo(Long.toString(event));
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("User-Agent")).isEqualTo("Inlet-Webhooks");
      }
      String id = hook.get("id").asString();
      await(wait, "delivered", () -> WebhookApi.firstState(inlet, key, id).equals("delivered"));
      JsonNode d = deliveries(inlet, key, id);
      assertThat(d).hasSize(1);
      assertThat(d.get(0).get("id").asString()).matches("whd_[a-z2-7]{26}");
      assertThat(d.get(0).get("event_id").asLong()).isEqualTo(event);
      assertThat(d.get(0).get("event_type").asString()).isEqualTo("invoice.completed");
      assertThat(d.get(0).get("attempts").asInt()).isEqualTo(2);
      assertThat(d.get(0).get("last_status").asInt()).isEqualTo(200);
      assertThat(d.get(0).get("delivered_at").isNull()).isFalse();
      assertThat(d.get(0).get("next_attempt_at").isNull()).isTrue();
      assertThat(receiver.received).hasSize(2);
    }
  }

  @Test
  void onlySubscribedTypesAndEventsAfterCreationAreDelivered() {
    String key = merchant(inlet, "subscriber");
    insertEvent(inlet, "subscriber", "invoice.completed", completed); // before the webhook
    try (WebhookReceiver receiver = new WebhookReceiver(n -> 204)) {
      JsonNode hook = createWebhook(inlet, key, receiver.url(), "invoice.completed");
      receiver.secret(hook.get("secret").asString());
      insertEvent(inlet, "subscriber", "payment.received", "{\"amount\":\"5\"}");
      long wanted = insertEvent(inlet, "subscriber", "invoice.completed", completed);
      await(wait, "one delivery", () -> receiver.received.size() >= 1);
      // A later event of the same merchant marks how far the dispatcher has gone.
      long later = insertEvent(inlet, "subscriber", "invoice.completed", completed);
      await(wait, "the later delivery", () -> receiver.received.size() >= 2);
      assertThat(receiver.received)
          .extracting(r -> r.header("Inlet-Event-Id"))
          .containsExactly(Long.toString(wanted), Long.toString(later));
      String id = hook.get("id").asString();
      assertThat(deliveries(inlet, key, id)).hasSize(2);
      // Pages, newest first, by cursor.
      String path = "/v1/webhooks/" + id + "/deliveries?limit=1";
      JsonNode first = TestInlet.json.readTree(call(inlet, "GET", path, key, null).body());
      assertThat(first.get("items")).hasSize(1);
      assertThat(first.get("items").get(0).get("event_id").asLong()).isEqualTo(later);
      String cursor = first.get("next_cursor").asString();
      JsonNode second =
          TestInlet.json.readTree(call(inlet, "GET", path + "&cursor=" + cursor, key, null).body());
      assertThat(second.get("items").get(0).get("event_id").asLong()).isEqualTo(wanted);
      assertThat(second.get("next_cursor").isNull()).isTrue();
      assertProblem(call(inlet, "GET", path + "0000", key, null), 400, "invalid-limit");
      assertProblem(
          call(inlet, "GET", path + "&cursor=whd_nothere", key, null), 400, "invalid-cursor");
    }
  }

  @Test
  void failedAfterTheLastAttemptThenSentAgainOnRequest() {
    String key = merchant(inlet, "failing");
    try (WebhookReceiver receiver = new WebhookReceiver(n -> 503)) {
      JsonNode hook = createWebhook(inlet, key, receiver.url(), "invoice.completed");
      receiver.secret(hook.get("secret").asString());
      String id = hook.get("id").asString();
      insertEvent(inlet, "failing", "invoice.completed", completed);
      await(wait, "failed", () -> WebhookApi.firstState(inlet, key, id).equals("failed"));
      JsonNode failed = deliveries(inlet, key, id).get(0);
      assertThat(failed.get("attempts").asInt()).isEqualTo(3);
      assertThat(failed.get("last_status").asInt()).isEqualTo(503);
      assertThat(failed.get("last_error").asString()).contains("503");
      assertThat(receiver.received).hasSize(3);

      receiver.status(n -> 200);
      String delivery = failed.get("id").asString();
      HttpResponse<String> retry =
          call(
              inlet,
              "POST",
              "/v1/webhooks/" + id + "/deliveries/" + delivery + "/retry",
              key,
              null);
      assertThat(retry.statusCode()).isEqualTo(202);
      await(wait, "delivered", () -> WebhookApi.firstState(inlet, key, id).equals("delivered"));
      assertThat(receiver.received).hasSize(4);
      assertThat(receiver.received.get(3).signatureValid()).isTrue();
      HttpResponse<String> again =
          call(
              inlet,
              "POST",
              "/v1/webhooks/" + id + "/deliveries/" + delivery + "/retry",
              key,
              null);
      assertProblem(again, 409, "delivery-already-delivered");
    }
  }

  @Test
  void aDeletedWebhookIsGoneAndGetsNothing() {
    String key = merchant(inlet, "deleter");
    try (WebhookReceiver receiver = new WebhookReceiver(n -> 200)) {
      String id =
          createWebhook(inlet, key, receiver.url(), "invoice.completed").get("id").asString();
      assertThat(call(inlet, "DELETE", "/v1/webhooks/" + id, key, null).statusCode())
          .isEqualTo(204);
      assertThat(call(inlet, "DELETE", "/v1/webhooks/" + id, key, null).statusCode())
          .isEqualTo(404);
      insertEvent(inlet, "deleter", "invoice.completed", completed);
      JsonNode list = TestInlet.json.readTree(call(inlet, "GET", "/v1/webhooks", key, null).body());
      assertThat(list.get("items")).isEmpty();
      assertProblem(
          call(inlet, "GET", "/v1/webhooks/" + id + "/deliveries", key, null),
          404,
          "unknown-webhook");
      sleep(1_000);
      assertThat(receiver.received).isEmpty();
    }
  }

  @Test
  void merchantsSeeOnlyTheirOwnWebhooks() {
    String a = merchant(inlet, "owner-a");
    String b = merchant(inlet, "owner-b");
    try (WebhookReceiver receiver = new WebhookReceiver(n -> 200)) {
      JsonNode hook = createWebhook(inlet, a, receiver.url(), "invoice.completed");
      receiver.secret(hook.get("secret").asString());
      String id = hook.get("id").asString();
      insertEvent(inlet, "owner-a", "invoice.completed", completed);
      await(wait, "a delivery", () -> deliveries(inlet, a, id).size() == 1);
      String delivery = deliveries(inlet, a, id).get(0).get("id").asString();

      JsonNode listA = TestInlet.json.readTree(call(inlet, "GET", "/v1/webhooks", a, null).body());
      assertThat(listA.get("items")).hasSize(1);
      assertThat(listA.get("items").get(0).get("url").asString()).isEqualTo(receiver.url());
      assertThat(listA.get("items").get(0).has("secret")).isFalse();
      JsonNode listB = TestInlet.json.readTree(call(inlet, "GET", "/v1/webhooks", b, null).body());
      assertThat(listB.get("items")).isEmpty();
      assertProblem(
          call(inlet, "GET", "/v1/webhooks/" + id + "/deliveries", b, null),
          404,
          "unknown-webhook");
      assertProblem(
          call(inlet, "POST", "/v1/webhooks/" + id + "/deliveries/" + delivery + "/retry", b, null),
          404,
          "unknown-webhook");
      assertProblem(call(inlet, "DELETE", "/v1/webhooks/" + id, b, null), 404, "unknown-webhook");
      assertThat(call(inlet, "GET", "/v1/webhooks", null, null).statusCode()).isEqualTo(401);
      assertThat(call(inlet, "GET", "/v1/webhooks", "inlet_wrong", null).statusCode())
          .isEqualTo(401);
      assertThat(
              call(inlet, "POST", "/v1/webhooks", null, "{\"url\":\"http://127.0.0.1/\"}")
                  .statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void badRequestsAreRefusedAndWriteNothing() {
    String key = merchant(inlet, "validator");
    String events = ",\"events\":[\"invoice.completed\"]}";
    assertProblem(
        call(inlet, "POST", "/v1/webhooks", key, "{\"url\":\"ftp://example.com/hook\"" + events),
        400,
        "invalid-webhook-url");
    assertProblem(
        call(inlet, "POST", "/v1/webhooks", key, "{\"url\":\"/hook\"" + events),
        400,
        "invalid-webhook-url");
    assertProblem(
        call(
            inlet,
            "POST",
            "/v1/webhooks",
            key,
            "{\"url\":\"https://example.com/" + "a".repeat(2_048) + "\"" + events),
        400,
        "invalid-webhook-url");
    for (String bad : new String[] {"[]", "[\"invoice.paid\"]", "\"invoice.completed\"", "[1]"}) {
      assertProblem(
          call(
              inlet,
              "POST",
              "/v1/webhooks",
              key,
              "{\"url\":\"https://example.com/hook\",\"events\":" + bad + "}"),
          400,
          "invalid-events");
    }
    assertProblem(
        call(inlet, "POST", "/v1/webhooks", key, "{\"url\":"), 400, "invalid-request-body");
    assertProblem(
        call(inlet, "GET", "/v1/webhooks/wh_nothere/deliveries", key, null),
        404,
        "unknown-webhook");
    assertThat(
            sql(inlet)
                .sql(
                    "SELECT count(*) FROM webhooks w JOIN merchants m ON m.id = w.merchant_id "
                        + "WHERE m.name = 'validator'")
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void aMerchantHasAtMostTheConfiguredNumberOfWebhooks() {
    String key = merchant(inlet, "collector");
    createWebhook(inlet, key, "https://example.com/one", "invoice.completed");
    createWebhook(inlet, key, "https://example.com/two", "invoice.created");
    assertProblem(
        call(
            inlet,
            "POST",
            "/v1/webhooks",
            key,
            "{\"url\":\"https://example.com/three\",\"events\":[\"invoice.created\"]}"),
        422,
        "too-many-webhooks");
    JsonNode list = TestInlet.json.readTree(call(inlet, "GET", "/v1/webhooks", key, null).body());
    assertThat(list.get("items")).hasSize(2);
    String first = list.get("items").get(0).get("id").asString();
    assertThat(call(inlet, "DELETE", "/v1/webhooks/" + first, key, null).statusCode())
        .isEqualTo(204);
    createWebhook(inlet, key, "https://example.com/three", "invoice.created");
  }

  static void assertProblem(HttpResponse<String> r, int status, String slug) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(TestInlet.json.readTree(r.body()).get("type").asString())
        .isEqualTo("urn:inlet:problem:" + slug);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
