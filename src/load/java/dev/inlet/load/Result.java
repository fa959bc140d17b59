package dev.inlet.load;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** One mode's figures. */
final class Result {
  final String label;
  final Stats warmup = new Stats();
  final Stats measured = new Stats();
  Stats half;
  double halfRate;
  long heapStart;
  long heapMiddle;
  long heapEnd;
  Cpu cpu = Cpu.zero;
  Cpu halfCpu = Cpu.zero;
  /** CPU by thread and process in the measured phase, and in the half-load phase. */
  final PhaseCpu threads = new PhaseCpu();
  final PhaseCpu halfThreads = new PhaseCpu();
  double commits;
  double commitSeconds;
  double batchedPackets;
  double halfCommits;
  double halfBatchedPackets;
  /** From Inlet's own histograms (bucket upper bounds, seconds): handling time of a Prepare, and of a commit. */
  double inletP99 = Double.NaN;
  double commitP99 = Double.NaN;
  double halfInletP99 = Double.NaN;
  double halfCommitP99 = Double.NaN;
  int poolUnits;
  int usedUnits;
  int churnUnits;
  JfrSummary jfr;
  BigInteger expectedCredit = BigInteger.ZERO;
  BigInteger ledgerCredited = BigInteger.ZERO;
  BigInteger balance = BigInteger.ZERO;
  final List<String> failures = new ArrayList<>();

  Result(String label) {
    this.label = label;
  }

  List<Stats> phases() {
    return half == null ? List.of(warmup, measured) : List.of(warmup, measured, half);
  }

  boolean passed() {
    return failures.isEmpty();
  }

  Histogram latency() {
    return measured.histogram();
  }
}
