package dev.inlet.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What one phase measured: answers, money fulfilled, latencies (microseconds), and how long it was loaded. */
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

  void latency(long nanos) {
    recorder.recordValue(Math.max(1, nanos / 1_000));
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
    new TreeMap<>(counts).forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v.sum()));
    return b.toString();
  }
}
