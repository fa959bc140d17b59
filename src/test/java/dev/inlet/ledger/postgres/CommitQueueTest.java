package dev.inlet.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ledger writer's bounded group-commit wait: a small batch is held for more packets, never past
 * the delay, never once it is full, and not at all after a full batch or with a zero delay; a quiet
 * slice ends the wait once the batch is as large as the previous one. The bounds asserted are the
 * delay's, with room for a slow machine; no speed is asserted.
 */
class CommitQueueTest {
  private static final Duration idle = Duration.ofSeconds(10);

  @Test
  void withoutADelayABatchIsWhatIsQueued() throws Exception {
    CommitQueue<Integer> queue = new CommitQueue<>(1_000, Duration.ZERO);
    for (int i = 0; i < 3; i++) {
      assertThat(queue.offer(i)).isTrue();
    }
    List<Integer> batch = new ArrayList<>();
    assertThat(queue.take(batch, 1_024, idle)).isTrue();
    assertThat(batch).containsExactly(0, 1, 2);
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void nothingQueuedIsNoBatch() throws Exception {
    CommitQueue<Integer> queue = new CommitQueue<>(1_000, Duration.ofMillis(5));
    List<Integer> batch = new ArrayList<>();
    assertThat(queue.take(batch, 1_024, Duration.ofMillis(10))).isFalse();
    assertThat(batch).isEmpty();
  }

  @Test
  void aBatchThatFillsWhileHeldIsTakenAtOnce() throws Exception {
    // A delay far longer than the test's timeout, in slices of 7.5 s: only the packet that fills
    // the batch can end the wait in time.
    CommitQueue<Integer> queue = new CommitQueue<>(1_000, Duration.ofSeconds(60));
    List<Integer> batch = new ArrayList<>();
    CompletableFuture<Boolean> taken =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.take(batch, 1_024, idle);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    queue.offer(0);
    Thread.sleep(200); // the writer holds its batch of one
    assertThat(taken).isNotDone();
    for (int i = 1; i < CommitQueue.fullBatch; i++) {
      queue.offer(i);
    }
    assertThat(taken.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(batch).hasSize(CommitQueue.fullBatch);
  }

  @Test
  void afterAFullBatchASmallOneIsNotHeld() throws Exception {
    CommitQueue<Integer> queue = new CommitQueue<>(1_000, Duration.ofSeconds(60));
    for (int i = 0; i < CommitQueue.fullBatch; i++) {
      queue.offer(i);
    }
    List<Integer> full = new ArrayList<>();
    assertThat(queue.take(full, 1_024, idle)).isTrue();
    assertThat(full).hasSize(CommitQueue.fullBatch);
    queue.offer(-1);
    List<Integer> next = new ArrayList<>();
    long started = System.nanoTime();
    assertThat(queue.take(next, 1_024, idle)).isTrue();
    assertThat(next).containsExactly(-1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aWaitThatBringsNothingEndsBeforeTheDelay() throws Exception {
    // Slices of 0.75 s: the first brings nothing, so the lone packet goes after about one slice.
    CommitQueue<Integer> queue = new CommitQueue<>(1_000, Duration.ofSeconds(6));
    queue.offer(7);
    List<Integer> batch = new ArrayList<>();
    long started = System.nanoTime();
    assertThat(queue.take(batch, 1_024, idle)).isTrue();
    assertThat(batch).containsExactly(7);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aBatchAsLargeAsTheLastGoesAtTheFirstQuietSlice() throws Exception {
    // Slices of 0.75 s. The first batch (of three) sets the size senders that wait for their
    // answers come back with; the second, once it has three, goes after one quiet slice.
    CommitQueue<Integer> queue = new CommitQueue<>(1_000, Duration.ofSeconds(6));
    List<Integer> first = takeOf(queue, 0, 1, 2);
    assertThat(first).containsExactly(0, 1, 2);
    long started = System.nanoTime();
    List<Integer> second = takeOf(queue, 3, 4, 5);
    assertThat(second).containsExactly(3, 4, 5);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aBatchSmallerThanTheLastIsHeldThroughQuietSlices() throws Exception {
    // Slices of 0.25 s. After a batch of three, a lone packet is held through quiet slices: the two
    // sent 0.6 s later (after two quiet slices) join it; a lone packet after that batch of three
    // waits the whole delay, and no longer.
    Duration delay = Duration.ofSeconds(2);
    CommitQueue<Integer> queue = new CommitQueue<>(1_000, delay);
    assertThat(takeOf(queue, 0, 1, 2)).hasSize(3);
    queue.offer(3);
    CompletableFuture<List<Integer>> held = CompletableFuture.supplyAsync(() -> takeOf(queue));
    Thread.sleep(600);
    assertThat(held).isNotDone();
    queue.offer(4);
    queue.offer(5);
    assertThat(held.get(5, TimeUnit.SECONDS)).containsExactly(3, 4, 5);
    queue.offer(6);
    long started = System.nanoTime();
    assertThat(takeOf(queue)).containsExactly(6);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isGreaterThanOrEqualTo(delay.minusMillis(50)).isLessThan(delay.plusSeconds(3));
  }

  /** Offers {@code items}, then takes the next batch (the writer's thread's step). */
  private static List<Integer> takeOf(CommitQueue<Integer> queue, Integer... items) {
    for (Integer i : items) {
      assertThat(queue.offer(i)).isTrue();
    }
    List<Integer> batch = new ArrayList<>();
    try {
      assertThat(queue.take(batch, 1_024, idle)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return batch;
  }

  @Test
  void packetsArrivingSteadilyAreHeldTogetherButNeverPastTheDelay() throws Exception {
    Duration delay = Duration.ofMillis(200);
    CommitQueue<Long> queue = new CommitQueue<>(100_000, delay);
    long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    Thread sender =
        new Thread(
            () -> {
              // A packet every 2 ms, each its send time: a slice of 25 ms never comes empty.
              while (System.nanoTime() < until) {
                queue.offer(System.nanoTime());
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sender.start();
    long longestHoldNanos = 0;
    int batches = 0;
    int packets = 0;
    while (sender.isAlive() || !queue.isEmpty()) {
      List<Long> batch = new ArrayList<>();
      if (!queue.take(batch, 1_024, Duration.ofMillis(50))) {
        continue;
      }
      long now = System.nanoTime();
      longestHoldNanos = Math.max(longestHoldNanos, now - batch.get(0));
      batches++;
      packets += batch.size();
    }
    sender.join();
    // Held together: about 100 ms of packets a batch on average (at most 200 ms' worth).
    assertThat(packets / batches).as("packets per batch").isGreaterThan(10);
    // The first packet of each batch waited at most the delay, plus the time the writer needed to
    // come round (generous: a loaded machine).
    assertThat(Duration.ofNanos(longestHoldNanos)).isLessThan(delay.plusMillis(300));
  }

  @Test
  void aNegativeDelayIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new CommitQueue<Integer>(10, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
