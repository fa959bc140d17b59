package dev.inlet.it;

import static dev.inlet.it.WebhookApi.await;
import static dev.inlet.it.WebhookApi.call;
import static dev.inlet.it.WebhookApi.createWebhook;
import static dev.inlet.it.WebhookApi.deliveries;
import static dev.inlet.it.WebhookApi.insertEvent;
import static dev.inlet.it.WebhookApi.merchant;
import static dev.inlet.it.WebhookApi.sql;
import static dev.inlet.it.WebhookTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Deliveries are rows, not memory: a delivery whose first attempt failed before a restart arrives
 * after it. And with private addresses not allowed (the default), webhook URLs on loopback, private
 * or link-local addresses are refused at creation and at delivery.
 */
class WebhookRestartTest {
  private static final Duration wait = Duration.ofSeconds(20);

  @TempDir Path dataDir;

  @Test
  void aDeliveryRetriedAcrossARestartArrivesAndPrivateUrlsAreRefused() {
    // The retry comes 4-12 s after the first attempt (8 s jittered): after the first Inlet has shut
    // down (about 2 s), before the wait for it runs out.
    Map<String, String> privateAllowed =
        Map.of("inlet.webhook.allow-private", "true", "inlet.webhook.retry-base", "8s");
    String key;
    String id;
    long event;
    try (WebhookReceiver receiver = new WebhookReceiver(n -> n == 1 ? 500 : 200)) {
      try (TestInlet inlet = TestInlet.start(dataDir, privateAllowed)) {
        key = merchant(inlet, "restarted");
        JsonNode hook = createWebhook(inlet, key, receiver.url(), "invoice.expired");
        receiver.secret(hook.get("secret").asString());
        id = hook.get("id").asString();
        event = insertEvent(inlet, "restarted", "invoice.expired", "{\"state\":\"expired\"}");
        await(
            wait,
            "the first attempt recorded",
            () -> {
              JsonNode d = deliveries(inlet, key, id);
              return !d.isEmpty() && d.get(0).get("attempts").asInt() == 1;
            });
        JsonNode first = deliveries(inlet, key, id).get(0);
        assertThat(first.get("state").asString()).isEqualTo("pending");
        assertThat(first.get("last_status").asInt()).isEqualTo(500);
        assertThat(first.get("next_attempt_at").isNull()).isFalse();
      }
      assertThat(receiver.received).hasSize(1);

      try (TestInlet inlet = TestInlet.start(dataDir, privateAllowed)) {
        await(wait, "the retry after the restart", () -> receiver.received.size() >= 2);
        await(wait, "delivered", () -> WebhookApi.firstState(inlet, key, id).equals("delivered"));
        JsonNode d = deliveries(inlet, key, id).get(0);
        assertThat(d.get("attempts").asInt()).isEqualTo(2);
        assertThat(d.get("last_status").asInt()).isEqualTo(200);
        assertThat(receiver.received).hasSize(2);
        assertThat(receiver.received.get(1).signatureValid()).isTrue();
        assertThat(receiver.received.get(1).header("Inlet-Event-Id"))
            .isEqualTo(Long.toString(event));
      }

      // The default: private addresses refused, at creation and at delivery.
      try (TestInlet inlet = TestInlet.start(dataDir, Map.of())) {
        long before = sql(inlet).sql("SELECT count(*) FROM webhooks").query(Long.class).single();
        for (String url :
            new String[] {
              "http://127.0.0.1/hook",
              "http://10.0.0.1/hook",
              "http://[::1]/hook",
              "http://169.254.169.254/",
              "http://localhost:8080/hook"
            }) {
          assertProblem(
              call(
                  inlet,
                  "POST",
                  "/v1/webhooks",
                  key,
                  "{\"url\":\"" + url + "\",\"events\":[\"invoice.expired\"]}"),
              422,
              "webhook-url-not-public");
        }
        assertThat(sql(inlet).sql("SELECT count(*) FROM webhooks").query(Long.class).single())
            .isEqualTo(before);

        insertEvent(inlet, "restarted", "invoice.expired", "{\"state\":\"expired\"}");
        await(
            wait,
            "an attempt refused for the address",
            () -> {
              JsonNode d = deliveries(inlet, key, id);
              return d.size() == 2 && d.get(0).get("attempts").asInt() >= 1;
            });
        JsonNode refused = deliveries(inlet, key, id).get(0);
        assertThat(refused.get("last_error").asString()).contains("non-public");
        assertThat(refused.get("last_status").isNull()).isTrue();
        assertThat(receiver.received).hasSize(2);
      }
    }
  }
}
