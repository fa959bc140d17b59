package dev.inlet.load;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The A/B comparison ({@code --ab-jar}; {@code --ab-dashboard} and {@code --ab-invoices} compare
 * one jar with itself, the current side with a dashboard open or paying invoices): per round, the
 * baseline's and the current side's durable throughput (fulfilled packets/s, closed loop) and
 * half-load p99 (ms), then the means and the ratio current/baseline. Results come in pairs,
 * baseline first, labelled {@value #baseline} and {@value #current} with the round number.
 */
final class AbReport {
  static final String baseline = "baseline";
  static final String current = "current";

  private AbReport() {}

  static void print(List<Result> results, Options options) {
    System.out.println();
    if (options.abDashboard()) {
      System.out.printf(
          "A/B: %s without (baseline) and with (current) an admin dashboard's live stream open,"
              + " durable, %d clients, %d rounds%n",
          options.inletJar(), options.clients(), options.abRounds());
    } else if (options.abInvoices()) {
      System.out.printf(
          "A/B: %s paying the account (baseline) and paying invoices (current), durable, %d"
              + " clients, %d rounds; target: current/baseline >= 0.80%n",
          options.inletJar(), options.clients(), options.abRounds());
    } else {
      System.out.printf(
          "A/B: baseline %s, current %s, durable, %d clients, %d rounds%n",
          options.abJar(), options.inletJar(), options.clients(), options.abRounds());
    }
    System.out.printf(
        "%-12s %16s %16s %16s %16s%n",
        "", "baseline /s", "current /s", "baseline p99 ms", "current p99 ms");
    List<Result> base = new ArrayList<>();
    List<Result> cur = new ArrayList<>();
    for (int i = 0; i + 1 < results.size(); i += 2) {
      Result b = results.get(i);
      Result c = results.get(i + 1);
      base.add(b);
      cur.add(c);
      System.out.printf(
          "%-12s %16s %16s %16s %16s  current/baseline %s%n",
          "round " + (i / 2 + 1), rate(b), rate(c), p99(b), p99(c), ratio(rate(c, b)));
    }
    double baseRate = mean(base, AbReport::throughput);
    double curRate = mean(cur, AbReport::throughput);
    System.out.printf(
        "%-12s %,16.0f %,16.0f %16s %16s%n",
        "mean",
        baseRate,
        curRate,
        format(mean(base, AbReport::halfP99)),
        format(mean(cur, AbReport::halfP99)));
    System.out.printf(
        "current/baseline: throughput %s, half-load p99 %s%n",
        ratio(curRate / baseRate),
        ratio(mean(cur, AbReport::halfP99) / mean(base, AbReport::halfP99)));
    // CPU per packet: what each side cost, which other processes on the machine do not move as
    // they move the throughput (a dashboard's cost would show here first).
    System.out.printf(
        "%-12s %16s %16s %16s %16s%n",
        "measured", "baseline µs/pkt", "current µs/pkt", "baseline others", "current others");
    for (int i = 0; i < base.size(); i++) {
      System.out.printf(
          "%-12s %16.1f %16.1f %16.2f %16.2f  (Inlet+PostgreSQL CPU per packet; others: cores)%n",
          "round " + (i + 1),
          cpuPerPacket(base.get(i)),
          cpuPerPacket(cur.get(i)),
          others(base.get(i)),
          others(cur.get(i)));
    }
    System.out.printf(
        "%-12s %16.1f %16.1f%n",
        "mean", mean(base, AbReport::cpuPerPacket), mean(cur, AbReport::cpuPerPacket));
    for (Result r : results) {
      if (!r.passed()) {
        System.out.println("FAILED " + r.label + ": " + String.join("; ", r.failures));
      }
    }
  }

  /** Inlet's and its PostgreSQL's CPU in the measured phase per fulfilled packet, µs. */
  private static double cpuPerPacket(Result r) {
    Cpu cpu = r.figures.cpu;
    return 1e6 * (cpu.inlet() + cpu.postgres()) / Math.max(1, r.measured.fulfilled.sum());
  }

  /** Other processes' CPU in the measured phase, cores. */
  private static double others(Result r) {
    return r.figures.cpu.others() / Math.max(1e-9, r.measured.seconds());
  }

  private static double throughput(Result r) {
    return r.measured.fulfilledPerSecond();
  }

  /** Half-load p99 in ms, NaN without a half-load phase. */
  private static double halfP99(Result r) {
    return r.half == null ? Double.NaN : r.half.histogram().getValueAtPercentile(99) / 1000.0;
  }

  private static String rate(Result r) {
    return String.format("%,.0f", throughput(r));
  }

  private static double rate(Result c, Result b) {
    return throughput(c) / throughput(b);
  }

  private static String p99(Result r) {
    return format(halfP99(r));
  }

  private static String format(double ms) {
    return Double.isNaN(ms) ? "-" : String.format("%.2f", ms);
  }

  private static String ratio(double r) {
    return Double.isNaN(r) || Double.isInfinite(r) ? "-" : String.format("%.3f", r);
  }

  private static double mean(List<Result> results, ToDoubleFunction<Result> figure) {
    return results.stream().mapToDouble(figure).average().orElse(Double.NaN);
  }
}
