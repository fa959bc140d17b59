package dev.inlet.admission;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;

/**
 * Money per second, averaged over a window (ERC-2100's flowrate): at most {@code rate × window} per
 * window, refilled whole at each window's start. A Resilience4j {@link AtomicRateLimiter} whose
 * permits are amounts — in units of {@link #granularity}, since its permits are ints and amounts
 * are unsigned 64-bit. A packet larger than one window's allowance never passes: it is refused as
 * any packet over the rate, and the sender must send smaller ones.
 */
final class FlowLimiter {
  /** The rate this limiter was made for, units per second (unsigned 64-bit). */
  final long unitsPerSecond;

  private final long granularity;
  private final int permitsPerWindow;
  private final AtomicRateLimiter limiter;

  FlowLimiter(long unitsPerSecond, Duration window) {
    this.unitsPerSecond = unitsPerSecond;
    double perWindow =
        unsigned(unitsPerSecond) * window.toNanos() / (double) Duration.ofSeconds(1).toNanos();
    long whole = perWindow >= 0x1p63 ? Long.MAX_VALUE : Math.max(1, (long) perWindow);
    this.granularity = Math.max(1, ceilDiv(whole, Integer.MAX_VALUE));
    // Rounded up as the permits of a packet are: the allowance is off by less than a granule.
    this.permitsPerWindow = (int) Math.max(1, ceilDiv(whole, granularity));
    this.limiter =
        new AtomicRateLimiter(
            "flow",
            RateLimiterConfig.custom()
                .limitForPeriod(permitsPerWindow)
                .limitRefreshPeriod(window)
                .timeoutDuration(Duration.ZERO)
                .build());
  }

  /** Takes {@code amount} (unsigned 64-bit) from the window's allowance, if it is all there. */
  boolean take(long amount) {
    long permits = Long.divideUnsigned(amount, granularity);
    if (Long.remainderUnsigned(amount, granularity) != 0) {
      permits++;
    }
    if (permits > permitsPerWindow || permits < 0) {
      return false;
    }
    return permits == 0 || limiter.acquirePermission((int) permits);
  }

  /** Whether {@code unitsPerSecond} of money fits this limit, as a steady flow. */
  static boolean fits(long flowRate, long limit) {
    return Long.compareUnsigned(flowRate, limit) <= 0;
  }

  private static long ceilDiv(long a, long b) {
    return a / b + (a % b == 0 ? 0 : 1);
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0;
  }
}
