package dev.inlet.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.stream.AdmissionReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * When {@link ConnectionQuota} counts: at most a second's count decides, a count used after half a
 * second is made again in the background, and the early answer never counts on its own thread: with
 * no recent count it waits for one made in the background.
 */
class ConnectionQuotaTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicReference<long[]> open = new AtomicReference<>(new long[] {0, 0});
  private final AtomicInteger counted = new AtomicInteger();
  private final Queue<Runnable> background = new ArrayDeque<>();
  private final ConnectionQuota quota =
      new ConnectionQuota(
          accountId -> {
            counted.incrementAndGet();
            return open.get().clone();
          },
          new AdmissionPolicy(null, new Limits(2, null, null, null, null, List.of())),
          new Refusals(new SimpleMeterRegistry(), Clock.systemUTC()),
          100,
          background::add,
          nanos::get);

  @Test
  void theEarlyCheckAnswersFromARecentCountAndHasItMadeAgainInTheBackground() {
    // Nothing counted yet: the early check has a count made in the background and waits for it.
    CompletableFuture<Boolean> first = quota.admitsByCount(7);
    assertThat(first).isNotDone();
    assertThat(counted).hasValue(0);
    drainBackground();
    assertThat(counted).hasValue(1);
    assertThat(first).isCompletedWithValue(true);
    assertThat(quota.check(7)).isNull();
    assertThat(counted).hasValue(1);

    // The account fills up. Within half a second both checks still use the count made before.
    open.set(new long[] {2, 2});
    advanceMillis(400);
    assertThat(quota.admitsByCount(7)).isCompletedWithValue(true);
    drainBackground();
    assertThat(counted).hasValue(1);

    // Past half a second the count still decides, and is made again in the background.
    advanceMillis(200);
    assertThat(quota.admitsByCount(7)).isCompletedWithValue(true);
    assertThat(counted).hasValue(1);
    drainBackground();
    assertThat(counted).hasValue(2);
    assertThat(quota.admitsByCount(7)).isCompletedWithValue(false);
    assertThat(quota.check(7)).isEqualTo(AdmissionReason.RECEIVER_QUOTA);
    assertThat(counted).hasValue(2);
  }

  @Test
  void anExpiredCountDecidesNothingEachCheckCountsAgain() {
    assertThat(quota.check(7)).isNull();
    open.set(new long[] {1, 100});
    advanceMillis(1_100);
    // The early check waits for a count made in the background; the blocking one counts itself.
    CompletableFuture<Boolean> early = quota.admitsByCount(7);
    assertThat(early).isNotDone();
    assertThat(quota.check(7)).isEqualTo(AdmissionReason.SYSTEM_LIMIT);
    assertThat(counted).hasValue(2);
    drainBackground();
    assertThat(early).isCompletedWithValue(false);
  }

  /** Runs what the cache handed its executor: recounts, and its own upkeep. */
  private void drainBackground() {
    for (Runnable task; (task = background.poll()) != null; ) {
      task.run();
    }
  }

  private void advanceMillis(long millis) {
    nanos.addAndGet(millis * 1_000_000);
  }
}
