package dev.inlet.it;

import static dev.inlet.it.WebhookApi.await;
import static dev.inlet.it.WebhookApi.call;
import static dev.inlet.it.WebhookApi.createWebhook;
import static dev.inlet.it.WebhookApi.merchant;
import static dev.inlet.it.WebhookApi.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Many deliveries to one webhook: each event answered 2xx exactly once (some after a failed
 * attempt, recorded in the same batches), never more attempts in flight at once than {@code
 * per-webhook-concurrency}, every delivery shown delivered with its attempts; and a webhook whose
 * slow endpoint has a backlog does not hold back another webhook's deliveries.
 */
class WebhookThroughputTest {
  private static final int perWebhook = 4;
  private static final Duration wait = Duration.ofSeconds(60);

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
                "inlet.webhook.timeout", "5s",
                "inlet.webhook.concurrency", "8",
                "inlet.webhook.per-webhook-concurrency", Integer.toString(perWebhook)));
  }

  @AfterAll
  static void stop() {
    inlet.close();
  }

  @Test
  void fiveHundredEventsArriveOnceEachWithinThePerWebhookConcurrency() {
    int events = 500;
    String key = merchant(inlet, "busy");
    // More receiver threads than the setting, each request 20 ms: overlapping attempts show.
    try (WebhookReceiver receiver =
        new WebhookReceiver(n -> n % 10 == 0 ? 500 : 200, 32, Duration.ofMillis(20))) {
      JsonNode hook = createWebhook(inlet, key, receiver.url(), "invoice.completed");
      receiver.secret(hook.get("secret").asString());
      String id = hook.get("id").asString();
      List<Long> ids = insertEvents("busy", events);

      await(wait, "every delivery recorded delivered", () -> delivered(id) == events);
      Map<String, Long> requests =
          receiver.received.stream()
              .collect(
                  Collectors.groupingBy(r -> r.header("Inlet-Event-Id"), Collectors.counting()));
      assertThat(requests.keySet())
          .containsExactlyInAnyOrderElementsOf(ids.stream().map(String::valueOf).toList());
      assertThat(receiver.received).allMatch(WebhookReceiver.Received::signatureValid);
      assertThat(receiver.maxConcurrent.get()).isBetween(2, perWebhook);

      // The API: all delivered, each with as many attempts as requests arrived for its event, so
      // every event got exactly one 2xx answer (the last) and every failure was recorded.
      List<JsonNode> pages = allDeliveries(key, id);
      assertThat(pages).hasSize(events);
      Map<Long, JsonNode> byEvent =
          pages.stream()
              .collect(Collectors.toMap(d -> d.get("event_id").asLong(), Function.identity()));
      for (long event : ids) {
        JsonNode d = byEvent.get(event);
        assertThat(d.get("state").asString()).isEqualTo("delivered");
        assertThat(d.get("last_status").asInt()).isEqualTo(200);
        assertThat(d.get("attempts").asLong()).isEqualTo(requests.get(Long.toString(event)));
        assertThat(d.get("next_attempt_at").isNull()).isTrue();
      }
      assertThat(receiver.received.size()).isGreaterThan(events); // some failed first
    }
  }

  @Test
  void aSlowWebhooksBacklogDoesNotHoldBackAnother() {
    String slowKey = merchant(inlet, "slow");
    String fastKey = merchant(inlet, "fast");
    try (WebhookReceiver slow = new WebhookReceiver(n -> 200, 32, Duration.ofSeconds(1));
        WebhookReceiver fast = new WebhookReceiver(n -> 200)) {
      String slowId =
          createWebhook(inlet, slowKey, slow.url(), "invoice.completed").get("id").asString();
      String fastId =
          createWebhook(inlet, fastKey, fast.url(), "invoice.completed").get("id").asString();
      insertEvents("slow", 200);
      await(wait, "the slow endpoint busy", () -> slow.maxConcurrent.get() == perWebhook);
      List<Long> wanted = insertEvents("fast", 20);
      // The slow webhook's backlog takes 50 s at 4 a second; the other's 20 arrive meanwhile.
      await(
          Duration.ofSeconds(10), "the other webhook's deliveries", () -> delivered(fastId) == 20);
      assertThat(fast.received)
          .extracting(r -> Long.parseLong(r.header("Inlet-Event-Id")))
          .containsExactlyInAnyOrderElementsOf(wanted);
      assertThat(slow.maxConcurrent.get()).isEqualTo(perWebhook);
      assertThat(delivered(slowId)).isLessThan(200);
    }
  }

  /** Writes {@code n} events of the merchant in one transaction; their ids in order. */
  private static List<Long> insertEvents(String merchant, int n) {
    return sql(inlet)
        .sql(
            "INSERT INTO events (merchant_id, type, data) "
                + "SELECT m.id, 'invoice.completed', jsonb_build_object('n', i) "
                + "FROM merchants m, generate_series(1, ?) i WHERE m.name = ? RETURNING id")
        .params(n, merchant)
        .query(Long.class)
        .list();
  }

  private static long delivered(String webhookPublicId) {
    return sql(inlet)
        .sql(
            "SELECT count(*) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                + "WHERE w.public_id = ? AND d.state = 'delivered'")
        .param(webhookPublicId)
        .query(Long.class)
        .single();
  }

  /** Every delivery of the webhook, page by page through {@code next_cursor}. */
  private static List<JsonNode> allDeliveries(String key, String webhookId) {
    List<JsonNode> all = new ArrayList<>();
    Map<String, Boolean> seen = new HashMap<>();
    String cursor = null;
    do {
      String path =
          "/v1/webhooks/"
              + webhookId
              + "/deliveries?limit=100"
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode page = TestInlet.json.readTree(call(inlet, "GET", path, key, null).body());
      for (JsonNode d : page.get("items")) {
        assertThat(seen.put(d.get("id").asString(), true)).isNull();
        all.add(d);
      }
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
    } while (cursor != null);
    return all;
  }
}
