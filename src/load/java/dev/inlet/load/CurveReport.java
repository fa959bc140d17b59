package dev.inlet.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Prints the load curve ({@link CurveRun}) as one table — per phase the fulfilled rate, latency
 * p50/p99/max, CPU per fulfilled packet of Inlet's JVM and of PostgreSQL (its backend, serving
 * Inlet's connections, and the rest: WAL writer, checkpointer, ...), and the ledger's mean batch —
 * then the half-load phases' p99s and the targets as figures.
 */
final class CurveReport {
  /** The role {@link ThreadCpu#postgres} gives the processes serving Inlet's connections. */
  private static final String backend = "backend (client connection)";

  private static final double p99TargetMillis = 20;

  private CurveReport() {}

  static void print(
      List<CurveRun.Measured> curve,
      List<CurveRun.Measured> half,
      Result result,
      Stats warmup,
      double readySeconds) {
    System.out.println();
    System.out.printf(
        "Load curve: one durable Inlet paying the account (ready in %.1f s), warmed %,.0f s at %,.0f"
            + " fulfilled/s; each phase %d s unmeasured, then %d s measured%n",
        readySeconds,
        warmup.seconds(),
        warmup.fulfilledPerSecond(),
        CurveRun.settleSeconds,
        CurveRun.measuredSeconds);
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "phase",
          "fulfilled/s",
          "p50 ms",
          "p99 ms",
          "max ms",
          "Inlet µs/pkt",
          "PG backend µs/pkt",
          "PG rest µs/pkt",
          "all µs/pkt",
          "pkts/commit",
          "commits/s",
          "others, cores",
          "rejects, errors"
        });
    List<CurveRun.Measured> all = new ArrayList<>(curve);
    all.addAll(half);
    for (CurveRun.Measured m : all) {
      rows.add(row(m));
    }
    ReportRows.table(rows);
    System.out.println(
        "(CPU per fulfilled packet; PG rest: WAL writer, checkpointer, background writer, ...;"
            + " others: CPU of other processes on the machine, which the figures share it with)");
    System.out.println();
    targets(curve, half);
    result.failures.forEach(f -> System.out.println("FAIL [" + result.label + "] " + f));
    System.out.printf(
        "ledger check: fulfilled %s, credited %s: %s%n",
        result.expectedCredit, result.ledgerCredited, result.passed() ? "PASS" : "FAIL");
    System.out.println(result.passed() ? "PASS" : "FAIL");
  }

  private static String[] row(CurveRun.Measured m) {
    Stats s = m.stats();
    PhaseFigures f = m.figures();
    Histogram h = s.histogram();
    double packets = Math.max(1, s.fulfilled.sum());
    double pgBackend = cpu(f.postgresProcesses, backend);
    double pgRest = f.cpu.postgres() - pgBackend;
    return new String[] {
      m.phase().name(),
      String.format("%,.0f", s.fulfilledPerSecond()),
      String.format("%.2f", h.getValueAtPercentile(50) / 1000.0),
      String.format("%.2f", h.getValueAtPercentile(99) / 1000.0),
      String.format("%.1f", h.getMaxValue() / 1000.0),
      String.format("%.0f", 1e6 * f.cpu.inlet() / packets),
      String.format("%.0f", 1e6 * pgBackend / packets),
      String.format("%.0f", 1e6 * pgRest / packets),
      String.format("%.0f", perPacket(m)),
      String.format("%.1f", f.batchedPackets / Math.max(1, f.commits)),
      String.format("%,.0f", f.commits / Math.max(1e-9, s.seconds())),
      String.format("%.2f", f.cpu.others() / Math.max(1e-9, s.seconds())),
      s.rejected() + s.errorCount() == 0
          ? "none"
          : Stats.counts(s.rejects) + "; " + Stats.counts(s.errors)
    };
  }

  /** Inlet's and PostgreSQL's CPU per fulfilled packet, microseconds. */
  private static double perPacket(CurveRun.Measured m) {
    return 1e6
        * (m.figures().cpu.inlet() + m.figures().cpu.postgres())
        / Math.max(1, m.stats().fulfilled.sum());
  }

  private static double cpu(Map<String, double[]> byRole, String role) {
    double[] v = byRole.get(role);
    return v == null ? 0 : v[0] + v[1];
  }

  /** The targets, as figures: they do not decide PASS or FAIL (only the money does). */
  private static void targets(List<CurveRun.Measured> curve, List<CurveRun.Measured> half) {
    if (curve.size() == 6) {
      double peak = perPacket(curve.get(5));
      for (int i : new int[] {2, 4}) {
        double ratio = perPacket(curve.get(i)) / Math.max(1e-9, peak);
        System.out.printf(
            "target CPU per packet at %s <= 1.5x the peak's (%s, %.0f µs): %s (%.0f µs, %.2fx)%n",
            curve.get(i).phase().name(),
            curve.get(5).phase().name(),
            peak,
            ratio <= 1.5 ? "met" : "NOT met",
            perPacket(curve.get(i)),
            ratio);
      }
    }
    if (!half.isEmpty()) {
      List<String> p99s = new ArrayList<>();
      int below = 0;
      for (CurveRun.Measured m : half) {
        double p99 = m.stats().histogram().getValueAtPercentile(99) / 1000.0;
        p99s.add(String.format("%.2f", p99));
        below += p99 < p99TargetMillis ? 1 : 0;
      }
      System.out.printf(
          "target p99 < 20 ms at %,.0f/s in five of five: %s (%d of %d < 20 ms; p99s %s ms)%n",
          CurveRun.halfRate,
          below == CurveRun.halfRepeats ? "met" : "NOT met",
          below,
          half.size(),
          String.join(", ", p99s));
    }
  }
}
