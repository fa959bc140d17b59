package dev.inlet.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook settings ({@code inlet.webhook.*}, e.g. {@code INLET_WEBHOOK_RETRY_BASE}); defaults in
 * application.yaml.
 *
 * @param allowPrivate whether webhook URLs may be or resolve to loopback, private, link-local,
 *     CGNAT and similar addresses (tests, private networks); false refuses them at creation and at
 *     every attempt
 * @param retryBase the first retry's delay; attempt n waits {@code retryBase * 2^(n-1)}, jittered
 *     by ×0.5..1.5, at most {@code maxRetryDelay}
 * @param maxRetryDelay the longest wait between two attempts
 * @param maxAttempts attempts of one delivery before it is marked failed (then only the retry
 *     endpoint sends it again)
 * @param timeout one attempt's limit from connecting to the end of the response, and the connect
 *     timeout
 * @param concurrency attempts in flight at once on this replica, for all webhooks
 * @param perWebhookConcurrency attempts in flight at once on this replica for one webhook, at most
 *     {@code concurrency}: what a slow or dead endpoint can hold, and what bounds one webhook's
 *     rate (about this many per round trip)
 * @param maxPerMerchant live (not deleted) webhooks a merchant may have
 * @param pollInterval how often the dispatcher looks for new events and due retries without being
 *     woken
 */
@ConfigurationProperties(prefix = "inlet.webhook")
public record WebhookSettings(
    boolean allowPrivate,
    Duration retryBase,
    Duration maxRetryDelay,
    int maxAttempts,
    Duration timeout,
    int concurrency,
    int perWebhookConcurrency,
    int maxPerMerchant,
    Duration pollInterval) {

  /** Checks the values once at start. */
  public WebhookSettings {
    require(
        retryBase != null && !retryBase.isNegative() && !retryBase.isZero(),
        "retry-base must be positive");
    require(
        maxRetryDelay != null && maxRetryDelay.compareTo(retryBase) >= 0,
        "max-retry-delay must be at least retry-base");
    require(maxAttempts >= 1, "max-attempts must be at least 1");
    require(
        timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
    require(concurrency >= 1, "concurrency must be at least 1");
    require(
        perWebhookConcurrency >= 1 && perWebhookConcurrency <= concurrency,
        "per-webhook-concurrency must be from 1 to concurrency");
    require(maxPerMerchant >= 1, "max-per-merchant must be at least 1");
    require(
        pollInterval != null && !pollInterval.isNegative() && !pollInterval.isZero(),
        "poll-interval must be positive");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("inlet.webhook." + message);
    }
  }
}
