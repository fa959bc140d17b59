package dev.inlet.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;

/**
 * Requests per second per key (a client address, an API key), with a burst: {@code burst} requests
 * per window of {@code burst / perSecond} seconds, each key's window its own. The limiters are
 * Resilience4j's lock-free {@link AtomicRateLimiter}s, in a Caffeine map of at most {@link
 * #maxTrackedKeys}, each dropped after two idle windows (when it is full again anyway): memory
 * stays bounded whatever the number of keys.
 */
public final class KeyedRateLimits {
  /** Most keys tracked at once: a few hundred bytes each. */
  public static final int maxTrackedKeys = 100_000;

  private final RateLimiterConfig config;
  private final int burst;
  private final Cache<String, AtomicRateLimiter> limiters;

  /**
   * What one request got.
   *
   * @param allowed whether it may proceed
   * @param limit requests per window ({@code RateLimit-Limit})
   * @param remaining requests left in the current window after this one ({@code
   *     RateLimit-Remaining})
   * @param resetSeconds whole seconds until the window refills ({@code RateLimit-Reset}, and {@code
   *     Retry-After} when refused), at least 1
   */
  public record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {
    /** {@code RateLimit-Limit}, {@code -Remaining} and {@code -Reset} (draft-ietf-httpapi). */
    public void writeHeaders(HttpHeaders headers) {
      headers.set("RateLimit-Limit", Integer.toString(limit));
      headers.set("RateLimit-Remaining", Integer.toString(remaining));
      headers.set("RateLimit-Reset", Long.toString(resetSeconds));
    }
  }

  /**
   * @param perSecond average requests per second per key, at least 1
   * @param burst requests a key may make at once, at least {@code perSecond}
   * @throws IllegalArgumentException otherwise
   */
  public KeyedRateLimits(int perSecond, int burst) {
    if (perSecond < 1 || burst < perSecond) {
      throw new IllegalArgumentException(
          "rate must be at least 1 per second and burst at least the rate: "
              + perSecond
              + "/s, burst "
              + burst);
    }
    Duration window = Duration.ofNanos(TimeUnit.SECONDS.toNanos(burst) / perSecond);
    this.burst = burst;
    this.config =
        RateLimiterConfig.custom()
            .limitForPeriod(burst)
            .limitRefreshPeriod(window)
            .timeoutDuration(Duration.ZERO)
            .build();
    this.limiters =
        Caffeine.newBuilder()
            .maximumSize(maxTrackedKeys)
            .expireAfterAccess(window.multipliedBy(2))
            // Upkeep on the calling thread, a few entries at a time: no pool of its own.
            .executor(Runnable::run)
            .build();
  }

  /**
   * Takes one request of {@code key}'s allowance. {@code RateLimit-Reset} of an allowed request is
   * the window's length, an upper bound: the limiter does not tell where in its window it is.
   */
  public Decision acquire(String key) {
    AtomicRateLimiter limiter = limiters.get(key, k -> new AtomicRateLimiter(k, config));
    boolean allowed = limiter.acquirePermission();
    AtomicRateLimiter.AtomicRateLimiterMetrics metrics = limiter.getDetailedMetrics();
    long waitNanos =
        allowed ? config.getLimitRefreshPeriod().toNanos() : Math.max(metrics.getNanosToWait(), 0);
    long reset = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999));
    return new Decision(allowed, burst, Math.max(0, metrics.getAvailablePermissions()), reset);
  }
}
