package dev.inlet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-address fixed window of failed authentications, on a clock the test moves. */
class FailedAuthenticationsTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;
  private final FailedAuthentications failures =
      new FailedAuthentications(3, Duration.ofMinutes(1), ticker);

  @Test
  void anAddressIsThrottledFromItsLimitUntilItsWindowCloses() {
    assertThat(failures.failed("192.0.2.1")).isFalse();
    advance(Duration.ofSeconds(10));
    assertThat(failures.failed("192.0.2.1")).isFalse();
    assertThat(failures.retryAfterNanos("192.0.2.1")).isZero();
    assertThat(failures.failed("192.0.2.1")).as("the third reaches the limit").isTrue();
    assertThat(failures.retryAfterNanos("192.0.2.1"))
        .as("the window opened at the first failure")
        .isEqualTo(Duration.ofSeconds(50).toNanos());
    assertThat(failures.retryAfterNanos("192.0.2.2")).as("another address").isZero();

    advance(Duration.ofSeconds(49));
    assertThat(failures.retryAfterNanos("192.0.2.1")).isEqualTo(Duration.ofSeconds(1).toNanos());
    advance(Duration.ofSeconds(1));
    assertThat(failures.retryAfterNanos("192.0.2.1")).isZero();
    assertThat(failures.failed("192.0.2.1")).as("a new window counts from 1").isFalse();
  }

  @Test
  void furtherFailuresDoNotExtendTheWindow() {
    for (int i = 0; i < 3; i++) {
      failures.failed("192.0.2.1");
    }
    advance(Duration.ofSeconds(30));
    assertThat(failures.failed("192.0.2.1")).isFalse();
    assertThat(failures.retryAfterNanos("192.0.2.1")).isEqualTo(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void tracksABoundedNumberOfAddresses() {
    int more = FailedAuthentications.maxTrackedAddresses * 2;
    for (int i = 0; i < more; i++) {
      failures.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
    }
    assertThat(failures.trackedAddresses())
        .isLessThanOrEqualTo(FailedAuthentications.maxTrackedAddresses);
  }

  @Test
  void refusesALimitBelowOneAndAWindowThatIsNotPositive() {
    assertThatThrownBy(() -> new FailedAuthentications(0, Duration.ofMinutes(1), ticker))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FailedAuthentications(1, Duration.ZERO, ticker))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
