package dev.inlet.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Failed authentications per client address, for throttling guessers ({@link BearerAuth}). An
 * address's window opens at its first failure and lasts {@code window}; once it has had {@code
 * maxFailures} failures in it, every further request from the address is refused with 429 until the
 * window closes — a fixed window: neither the refused requests nor a success extend or reset it (a
 * success resetting it would let a guesser behind the same address as the operator go on for ever).
 *
 * <p>A Caffeine cache (already Inlet's) holds one small counter per address, expiring {@code
 * window} after it was made, and at most {@link #maxTrackedAddresses} of them: memory stays bounded
 * whatever the number of addresses, and when more are failing at once the least useful entries go
 * first. A rate-limiter library (Bucket4j, Resilience4j) would need the same per-address map around
 * its limiters and adds nothing a counter with an expiry does not do here.
 */
public final class FailedAuthentications {
  /** Most client addresses tracked at once: about 100 bytes each. */
  public static final int maxTrackedAddresses = 10_000;

  private final int maxFailures;
  private final Duration window;
  private final long windowNanos;
  private final Ticker ticker;
  private final Cache<String, Failures> byAddress;

  /** One address's window: when it opened ({@link Ticker} nanoseconds) and its failures. */
  private record Failures(long openedNanos, AtomicInteger count) {}

  /**
   * @param maxFailures failures within a window after which an address is refused (≥ 1)
   * @param window how long an address's window lasts from its first failure (positive)
   * @param ticker the clock, {@link Ticker#systemTicker()} outside tests
   * @throws IllegalArgumentException on a limit below 1 or a window that is not positive
   */
  public FailedAuthentications(int maxFailures, Duration window, Ticker ticker) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be at least 1: " + maxFailures);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    this.maxFailures = maxFailures;
    this.window = window;
    this.windowNanos = window.toNanos();
    this.ticker = ticker;
    this.byAddress =
        Caffeine.newBuilder()
            .maximumSize(maxTrackedAddresses)
            .expireAfterWrite(window)
            .ticker(ticker)
            // Upkeep on the calling thread, a few entries at a time: no pool of its own.
            .executor(Runnable::run)
            .build();
  }

  int maxFailures() {
    return maxFailures;
  }

  Duration window() {
    return window;
  }

  /** Addresses with a window open, after pending evictions. */
  long trackedAddresses() {
    byAddress.cleanUp();
    return byAddress.estimatedSize();
  }

  /**
   * How long, in nanoseconds, {@code address} must wait before its requests are looked at again; 0
   * when they are now.
   */
  public long retryAfterNanos(String address) {
    Failures failures = byAddress.getIfPresent(address);
    if (failures == null || failures.count().get() < maxFailures) {
      return 0;
    }
    return Math.max(0, failures.openedNanos() + windowNanos - ticker.read());
  }

  /**
   * Counts a failed authentication from {@code address}.
   *
   * @return whether this failure is the one that reached the limit (to log it once)
   */
  public boolean failed(String address) {
    // get, not compute: the counter changes in place, so the entry's expiry stays at its opening.
    Failures failures =
        byAddress.get(address, a -> new Failures(ticker.read(), new AtomicInteger()));
    return failures.count().incrementAndGet() == maxFailures;
  }

  /**
   * 429 with {@code Retry-After} (whole seconds, rounded up) and problem type {@code
   * too-many-failed-authentications}.
   */
  Mono<ServerResponse> tooMany(long waitNanos) {
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999));
    return ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyValue(
            Problems.problem(
                HttpStatus.TOO_MANY_REQUESTS,
                "too-many-failed-authentications",
                "Too many failed authentications from this address: try again in "
                    + seconds
                    + " s"));
  }
}
