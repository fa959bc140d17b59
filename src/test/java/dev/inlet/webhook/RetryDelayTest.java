package dev.inlet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The wait between attempts: exponential from the base, jittered ×0.5..1.5, capped; none after the
 * last.
 */
class RetryDelayTest {
  private static final WebhookSettings settings =
      new WebhookSettings(
          false,
          Duration.ofSeconds(10),
          Duration.ofHours(1),
          12,
          Duration.ofSeconds(10),
          16,
          8,
          20,
          Duration.ofSeconds(1));

  @RepeatedTest(20)
  void backsOffExponentiallyWithJitterUpToTheCap() {
    assertThat(WebhookDispatcher.retryDelay(settings, 1))
        .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
    assertThat(WebhookDispatcher.retryDelay(settings, 2))
        .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(30));
    assertThat(WebhookDispatcher.retryDelay(settings, 5))
        .isBetween(Duration.ofSeconds(80), Duration.ofSeconds(240));
    assertThat(WebhookDispatcher.retryDelay(settings, 11)).isEqualTo(Duration.ofHours(1));
    assertThat(WebhookDispatcher.retryDelay(settings, 12)).isNull();
  }
}
