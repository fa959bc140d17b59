package dev.inlet.ledger.postgres;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The ledger writer's queue, with a bounded group-commit wait (as PostgreSQL's {@code
 * commit_delay}): when the previous batch was small, the writer holds a small batch up to {@code
 * commitDelay} for more packets before writing it, so that each batch statement's fixed cost (about
 * 0.6 ms of the database's CPU, docs/performance.md "Modest load") is shared by more packets at
 * modest load. It never holds a batch that has {@link #fullBatch} packets (a packet that fills it
 * wakes the writer), never past {@code commitDelay} from when the writer took the batch's first
 * packet, and stops waiting when a slice of the wait brings nothing once the batch is as large as
 * the previous one: senders that wait for each answer before sending again (a closed loop, a lone
 * sender) are then all back, and the batch goes at once; while it is smaller, a quiet slice is a
 * gap between arrivals (a connector forwarding at a steady rate), and the wait goes on, so that at
 * a steady rate batches grow to what arrives within the delay. While it waits, arrivals do not wake
 * it: one timer wake-up per slice, not one per packet. A zero delay writes every batch at once.
 *
 * @param <T> a queued packet
 */
final class CommitQueue<T> {
  /** A batch this large is written at once, never held for more. */
  static final int fullBatch = 128;

  /**
   * The wait is taken in this many slices at most; one that brings nothing ends it once the batch
   * is as large as the previous one.
   */
  static final int waitSlices = 8;

  private final ArrayBlockingQueue<T> queue;
  private final long commitDelayNanos;
  private volatile Thread waiting;
  private volatile int wakeAt;
  private int lastBatch;

  /**
   * @param capacity items queued at most; {@link #offer} refuses more
   * @param commitDelay the longest a small batch is held for more; zero: never
   */
  CommitQueue(int capacity, Duration commitDelay) {
    if (commitDelay.isNegative()) {
      throw new IllegalArgumentException("commit delay must not be negative: " + commitDelay);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.commitDelayNanos = commitDelay.toNanos();
  }

  /** Queues {@code item}; false when the queue is full. Any thread. */
  boolean offer(T item) {
    if (!queue.offer(item)) {
      return false;
    }
    Thread w = waiting;
    if (w != null && queue.size() >= wakeAt) {
      LockSupport.unpark(w);
    }
    return true;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /**
   * The writer's next batch, into {@code batch} (empty on entry): waits up to {@code idle} for a
   * first item, then takes what is queued, at most {@code max}, holding a small batch as described
   * above. The writer's thread only.
   *
   * @return false when no item came within {@code idle}
   */
  boolean take(List<T> batch, int max, Duration idle) throws InterruptedException {
    T first = queue.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
    if (first == null) {
      return false;
    }
    long took = System.nanoTime();
    batch.add(first);
    queue.drainTo(batch, max - batch.size());
    if (commitDelayNanos > 0 && lastBatch < fullBatch) {
      holdForMore(batch, max, took + commitDelayNanos);
    }
    lastBatch = batch.size();
    return true;
  }

  private void holdForMore(List<T> batch, int max, long deadline) {
    long slice = Math.max(1, commitDelayNanos / waitSlices);
    try {
      while (batch.size() < Math.min(fullBatch, max)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        // Published before the queue is looked at, so an offer that fills the batch after the look
        // sees it and unparks this thread.
        wakeAt = fullBatch - batch.size();
        waiting = Thread.currentThread();
        if (queue.size() < wakeAt) {
          LockSupport.parkNanos(this, Math.min(left, slice));
        }
        int before = batch.size();
        queue.drainTo(batch, max - batch.size());
        if (batch.size() == before && before >= lastBatch) {
          return; // a quiet slice, and as many as last time: nobody else is about to send
        }
      }
    } finally {
      waiting = null;
    }
  }
}
