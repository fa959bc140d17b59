package dev.inlet.load;

import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a phase cost, besides the generator's own {@link Stats}: CPU in total ({@link Cpu}) and by
 * thread group of Inlet's JVM, by PostgreSQL process role and by thread group of this generator
 * ({@link ThreadCpu}, user and system seconds), and how late a 1 ms sleeper woke ({@link Hiccups}),
 * summed over the phase's parts; and the ledger's commits and Inlet's own p99s, from two scrapes of
 * {@code /actuator/prometheus}.
 */
final class PhaseFigures {
  Cpu cpu = Cpu.zero;
  final Map<String, double[]> inletThreads = new HashMap<>();
  final Map<String, double[]> postgresProcesses = new HashMap<>();
  final Map<String, double[]> generatorThreads = new HashMap<>();
  double commits;
  double commitSeconds;
  double batchedPackets;

  /** Bucket upper bounds, seconds: handling time of a Prepare, and of a commit. */
  double inletP99 = Double.NaN;

  double commitP99 = Double.NaN;

  /**
   * Commits slower than about 20 ms (null without a histogram): a stall such as a WAL segment
   * created inside a commit shows here before it shows in the percentiles.
   */
  Metrics.Above slowCommits;

  /** How late the generator's 1 ms sleeper woke, microseconds. */
  final Histogram lateWakeups = new Histogram(3);

  /** CPU readings at the start of a part. */
  record Start(
      Cpu cpu,
      Map<String, double[]> inlet,
      Map<String, double[]> postgres,
      Map<String, double[]> generator) {}

  static Start start(InletProcess process) {
    Hiccups.since();
    return new Start(
        Cpu.read(process), process.jvmThreadCpu(), process.postgresProcessCpu(), own());
  }

  /** Adds the CPU used, and the sleeper's wake-ups, since {@code start}. */
  void addSince(Start start, InletProcess process) {
    lateWakeups.add(Hiccups.since());
    cpu = cpu.plus(Cpu.read(process).minus(start.cpu()));
    ThreadCpu.addTo(inletThreads, ThreadCpu.minus(process.jvmThreadCpu(), start.inlet()));
    ThreadCpu.addTo(
        postgresProcesses, ThreadCpu.minus(process.postgresProcessCpu(), start.postgres()));
    ThreadCpu.addTo(generatorThreads, ThreadCpu.minus(own(), start.generator()));
  }

  /** The ledger's commits and Inlet's p99s between two scrapes. */
  void ledger(Metrics before, Metrics after) {
    commits =
        after.sum("inlet_ledger_commit_seconds_count")
            - before.sum("inlet_ledger_commit_seconds_count");
    commitSeconds =
        after.sum("inlet_ledger_commit_seconds_sum")
            - before.sum("inlet_ledger_commit_seconds_sum");
    batchedPackets =
        after.sum("inlet_ledger_batch_packets_sum") - before.sum("inlet_ledger_batch_packets_sum");
    inletP99 = after.percentileSince(before, "inlet_packet_handling_seconds", 99);
    commitP99 = after.percentileSince(before, "inlet_ledger_commit_seconds", 99);
    slowCommits = after.countAboveSince(before, "inlet_ledger_commit_seconds", 0.020);
  }

  private static Map<String, double[]> own() {
    return ThreadCpu.threads(ProcessHandle.current().pid());
  }
}
