package dev.inlet.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one phase measured: answers, money fulfilled, latencies (microseconds), and how long it was
 * loaded.
 */
final class Stats {
  private final Recorder recorder = new Recorder(3);
  private final Histogram latency = new Histogram(3);
  final LongAdder fulfilled = new LongAdder();
  final LongAdder fulfilledAmount = new LongAdder();
  final LongAdder badFulfillments = new LongAdder();
  final LongAdder churnClosed = new LongAdder();
  final ConcurrentHashMap<String, LongAdder> rejects = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();

  /** Time under load, summed over the phase's parts. */
  long activeNanos;

  /**
   * Answers slower than this (the p99 target) are counted per second, to tell bursts from a steady
   * tail.
   */
  private static final long slowNanos = TimeUnit.MILLISECONDS.toNanos(20);

  private static final int maxSeconds = 4096;

  /** Seconds with fewer answers (a part's first or last) are left out of the per-second shares. */
  private static final int minAnswersPerSecond = 100;

  /** Answers, and answers slower than {@link #slowNanos}, by second since these Stats began. */
  private final long startNanos = System.nanoTime();

  private final AtomicIntegerArray answeredBySecond = new AtomicIntegerArray(maxSeconds);
  private final AtomicIntegerArray slowBySecond = new AtomicIntegerArray(maxSeconds);

  void latency(long nanos) {
    recorder.recordValue(Math.max(1, nanos / 1_000));
    int second = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
    if (second < maxSeconds) {
      answeredBySecond.incrementAndGet(second);
      if (nanos > slowNanos) {
        slowBySecond.incrementAndGet(second);
      }
    }
  }

  /**
   * Whether slow answers (over 20 ms) came steadily or in bursts: their share overall, how many
   * seconds had more than 1 % of them, and the worst second's share.
   */
  String slowSeconds() {
    long answered = 0;
    long slow = 0;
    int seconds = 0;
    int above = 0;
    double worst = 0;
    for (int s = 0; s < maxSeconds; s++) {
      int n = answeredBySecond.get(s);
      answered += n;
      slow += slowBySecond.get(s);
      if (n >= minAnswersPerSecond) {
        double share = slowBySecond.get(s) / (double) n;
        seconds++;
        above += share > 0.01 ? 1 : 0;
        worst = Math.max(worst, share);
      }
    }
    return answered == 0
        ? "-"
        : String.format(
            "%.2f%%; %d of %d s; %.1f%%", 100.0 * slow / answered, above, seconds, 100 * worst);
  }

  /** Answers recorded in second {@code s} since these Stats began (0 past the last counted). */
  int answeredInSecond(int s) {
    return s < maxSeconds ? answeredBySecond.get(s) : 0;
  }

  /** Adds {@code other}'s fulfilled packets and money to these: one ledger check for phases. */
  void addMoney(Stats other) {
    fulfilled.add(other.fulfilled.sum());
    fulfilledAmount.add(other.fulfilledAmount.sum());
    badFulfillments.add(other.badFulfillments.sum());
    churnClosed.add(other.churnClosed.sum());
  }

  void reject(String code) {
    rejects.computeIfAbsent(code, k -> new LongAdder()).increment();
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** All latencies recorded so far (call between parts, when nothing is in flight). */
  Histogram histogram() {
    latency.add(recorder.getIntervalHistogram());
    return latency;
  }

  long rejected() {
    return rejects.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  double seconds() {
    return activeNanos / 1e9;
  }

  double fulfilledPerSecond() {
    return activeNanos == 0 ? 0 : fulfilled.sum() / seconds();
  }

  double answeredPerSecond() {
    return activeNanos == 0 ? 0 : (fulfilled.sum() + rejected()) / seconds();
  }

  static String counts(Map<String, LongAdder> counts) {
    if (counts.isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    new TreeMap<>(counts)
        .forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v.sum()));
    return b.toString();
  }
}
