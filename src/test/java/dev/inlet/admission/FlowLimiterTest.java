package dev.inlet.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flow limits in the asset's units, and deny-list prefixes. */
class FlowLimiterTest {

  @Test
  void takesAtMostRateTimesWindowAtOnce() {
    FlowLimiter l = new FlowLimiter(1000, Duration.ofSeconds(10));
    assertThat(l.take(6000)).isTrue();
    assertThat(l.take(4000)).isTrue();
    assertThat(l.take(1)).isFalse();
  }

  @Test
  void aPacketLargerThanAWindowsAllowanceNeverPasses() {
    assertThat(new FlowLimiter(1000, Duration.ofSeconds(1)).take(1001)).isFalse();
  }

  @Test
  void ratesBeyondAnIntCountInCoarserPermitsWithoutOverflow() {
    // 2^64-1 a second: counted in granules of about 2^32, a window still takes 2^63-1 at once.
    FlowLimiter huge = new FlowLimiter(-1L, Duration.ofSeconds(1));
    assertThat(huge.take(Long.MAX_VALUE)).isTrue();
    assertThat(huge.take(1)).isFalse();
    FlowLimiter big = new FlowLimiter(10_000_000_000L, Duration.ofSeconds(1));
    assertThat(big.take(6_000_000_000L)).isTrue();
    assertThat(big.take(4_000_000_000L)).isTrue();
    assertThat(big.take(10_000_000L)).isFalse();
  }

  @Test
  void zeroAmountsAlwaysPass() {
    FlowLimiter l = new FlowLimiter(1, Duration.ofSeconds(1));
    assertThat(l.take(1)).isTrue();
    assertThat(l.take(0)).isTrue();
  }

  @Test
  void aDenyPrefixBlocksItselfAndWhatIsBelowItOnly() {
    Limits limits = new Limits(1, null, null, null, null, List.of("g.evil"));
    assertThat(limits.blocks("g.evil")).isTrue();
    assertThat(limits.blocks("g.evil.alice")).isTrue();
    assertThat(limits.blocks("g.evilness")).isFalse();
    assertThat(limits.blocks("g.good")).isFalse();
  }
}
