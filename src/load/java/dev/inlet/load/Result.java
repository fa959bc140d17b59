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

  /** Inlet's side of the measured phase, and of the half-load phase. */
  final PhaseFigures figures = new PhaseFigures();

  final PhaseFigures halfFigures = new PhaseFigures();
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
