package dev.inlet.load;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Prints each mode's figures side by side, with the ratios invoices / durable (the invoice mode to
 * the account mode) and durable / non-durable for the runs there are.
 */
final class Report {
  private Report() {}

  static void print(List<Result> results, Options options) {
    System.out.println();
    for (Result r : results) {
      cpuBreakdown(r.label + " run, measured phase", r.figures, r.measured.seconds());
      if (r.half != null) {
        cpuBreakdown(r.label + " run, half-load phase", r.halfFigures, r.half.seconds());
      }
    }
    for (Result r : results) {
      if (r.jfr != null) {
        r.jfr.print("JFR of Inlet, " + r.label + " run, measured phase", 15);
        System.out.println();
      }
    }
    List<int[]> ratio = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of(""));
    results.forEach(r -> head.add(r.label));
    for (String[] pair :
        new String[][] {{LoadBenchmark.invoicesLabel, "durable"}, {"durable", "non-durable"}}) {
      int a = index(results, pair[0]);
      int b = index(results, pair[1]);
      if (a >= 0 && b >= 0) {
        ratio.add(new int[] {a, b});
        head.add(pair[0] + "/" + pair[1]);
      }
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(head.toArray(String[]::new));

    String load =
        options.openLoop()
            ? String.format("open loop %,.0f/s", options.rate())
            : "closed loop, " + options.clients() + " clients";
    section(rows, "measured phase (" + load + ")", results.size(), ratio);
    num(rows, results, ratio, "fulfilled packets/s", r -> r.measured.fulfilledPerSecond(), "%,.0f");
    text(
        rows,
        results,
        ratio,
        "fulfilled packets",
        r -> String.format("%,d", r.measured.fulfilled.sum()));
    text(
        rows,
        results,
        ratio,
        "time under load",
        r -> String.format("%.1f s", r.measured.seconds()));
    text(rows, results, ratio, "rejects by code", r -> Stats.counts(r.measured.rejects));
    text(rows, results, ratio, "transport errors", r -> Stats.counts(r.measured.errors));
    if (results.stream().anyMatch(r -> r.churnUnits > 0)) {
      text(
          rows,
          results,
          ratio,
          "churn connections closed",
          r -> String.format("%,d of %,d", r.measured.churnClosed.sum(), r.churnUnits));
    }
    latencies(rows, results, ratio, Result::latency);
    text(
        rows,
        results,
        ratio,
        "over 20 ms: share; seconds > 1 %; worst",
        r -> r.sending != null ? "-" : r.measured.slowSeconds());
    phase(rows, results, ratio, r -> r.figures, r -> r.measured);
    text(
        rows,
        results,
        ratio,
        "heap after GC start/mid/end",
        r ->
            r.sending != null
                ? "-"
                : String.format(
                    "%.1f / %.1f / %.1f MB",
                    r.heapStart / 1e6, r.heapMiddle / 1e6, r.heapEnd / 1e6));

    if (results.stream().anyMatch(r -> r.half != null)) {
      section(
          rows,
          "half load (open loop at half "
              + (options.halfLoadOf().equals("max")
                  ? "the fulfilled packets/s above)"
                  : "the 20,000/s target, or of the fulfilled packets/s above if lower)"),
          results.size(),
          ratio);
      num(
          rows,
          results,
          ratio,
          "offered packets/s",
          r -> r.half == null ? Double.NaN : r.halfRate,
          "%,.0f");
      num(
          rows,
          results,
          ratio,
          "fulfilled packets/s",
          r -> r.half == null ? Double.NaN : r.half.fulfilledPerSecond(),
          "%,.0f");
      text(
          rows,
          results,
          ratio,
          "rejects by code",
          r -> r.half == null ? "-" : Stats.counts(r.half.rejects));
      latencies(rows, results, ratio, r -> r.half == null ? new Histogram(3) : r.half.histogram());
      text(
          rows,
          results,
          ratio,
          "over 20 ms: share; seconds > 1 %; worst",
          r -> r.half == null ? "-" : r.half.slowSeconds());
      phase(rows, results, ratio, r -> r.halfFigures, r -> r.half == null ? new Stats() : r.half);
    }
    if (results.stream().anyMatch(r -> !r.events.isEmpty() || r.invoice != null)) {
      events(rows, results, ratio);
    }
    if (results.stream().anyMatch(r -> r.sending != null)) {
      sending(rows, results, ratio);
    }
    section(rows, "money", results.size(), ratio);
    text(
        rows,
        results,
        ratio,
        "fulfilled amount (all phases; sending: funded + sent)",
        r -> r.expectedCredit.toString());
    text(rows, results, ratio, "ledger credited", r -> r.ledgerCredited.toString());
    if (results.stream().anyMatch(r -> r.invoice != null)) {
      text(
          rows,
          results,
          ratio,
          "invoices' received (GET /v1/invoices)",
          r -> r.invoice == null ? "-" : r.invoice.invoicesReceived.toString());
      text(
          rows,
          results,
          ratio,
          "invoices table after the run",
          r -> r.invoice == null ? "-" : r.invoice.invoiceTable);
    }
    text(rows, results, ratio, "ledger check", r -> r.passed() ? "PASS" : "FAIL");
    table(rows);
    targets(results, options);
    for (Result r : results) {
      r.failures.forEach(f -> System.out.println("FAIL [" + r.label + "] " + f));
    }
    System.out.println(results.stream().allMatch(Result::passed) ? "PASS" : "FAIL");
  }

  /**
   * The sending run: its payouts, Inlet's own count of what it sent, the database's commits, how
   * long a Prepare took from being built to reaching the receiver, and how the payouts ended.
   */
  private static void sending(List<String[]> rows, List<Result> results, List<int[]> ratio) {
    section(
        rows,
        "sending (measured phase; fulfilled packets/s above: counted at the receiver)",
        results.size(),
        ratio);
    Function<Result, Result.SendingFigures> f = r -> r.sending;
    text(
        rows,
        results,
        ratio,
        "payouts x in flight each; connector max packet",
        r ->
            f.apply(r) == null
                ? "-"
                : String.format(
                    "%d x %d; %,d",
                    f.apply(r).payouts, f.apply(r).inFlight, f.apply(r).packetAmount));
    num(
        rows,
        results,
        ratio,
        "inlet_packets_sent_total fulfilled/s",
        r ->
            f.apply(r) == null
                ? Double.NaN
                : f.apply(r).sentFulfilled / Math.max(1e-9, r.measured.seconds()),
        "%,.0f");
    text(
        rows,
        results,
        ratio,
        "inlet_packets_sent_total, other results",
        r -> f.apply(r) == null ? "-" : f.apply(r).otherResults);
    num(
        rows,
        results,
        ratio,
        "PostgreSQL commits/s (pg_stat_database)",
        r ->
            f.apply(r) == null
                ? Double.NaN
                : f.apply(r).databaseCommits / Math.max(1e-9, r.measured.seconds()),
        "%,.0f");
    num(
        rows,
        results,
        ratio,
        "outgoing packets per commit (mean)",
        r ->
            f.apply(r) == null
                ? Double.NaN
                // Each packet is recorded twice (its Prepare, then its answer).
                : 2.0 * r.measured.fulfilled.sum() / Math.max(1, f.apply(r).databaseCommits),
        "%.1f");
    for (double p : new double[] {50, 99}) {
      num(
          rows,
          results,
          ratio,
          "Prepare built -> at receiver p" + (int) p + " ms",
          r ->
              f.apply(r) == null
                  ? Double.NaN
                  : r.measured.histogram().getValueAtPercentile(p) / 1000.0,
          "%.0f");
    }
    text(rows, results, ratio, "payouts ended", r -> f.apply(r) == null ? "-" : f.apply(r).states);
    text(
        rows,
        results,
        ratio,
        "payouts' sent / receiver got",
        r -> f.apply(r) == null ? "-" : f.apply(r).sent + " / " + f.apply(r).received);
  }

  /** Inlet's side of a phase: its own p99s, CPU, the ledger's commits. */
  private static void phase(
      List<String[]> rows,
      List<Result> results,
      List<int[]> ratio,
      Function<Result, PhaseFigures> figures,
      Function<Result, Stats> stats) {
    // A run without this phase (the sending run has no half load) shows "-".
    Function<Result, Double> seconds =
        r ->
            stats.apply(r).activeNanos == 0 ? Double.NaN : Math.max(1e-9, stats.apply(r).seconds());
    Function<Result, Double> packets =
        r ->
            stats.apply(r).activeNanos == 0
                ? Double.NaN
                : (double) Math.max(1, stats.apply(r).fulfilled.sum());
    num(
        rows,
        results,
        ratio,
        "Inlet-side p99 ms (histogram)",
        r -> 1000 * figures.apply(r).inletP99,
        "≤%.0f");
    num(
        rows,
        results,
        ratio,
        "ledger commit p99 ms (histogram)",
        r -> 1000 * figures.apply(r).commitP99,
        "≤%.0f");
    text(
        rows,
        results,
        ratio,
        "ledger commits slower than ~20 ms",
        r -> {
          Metrics.Above slow = figures.apply(r).slowCommits;
          return slow == null
              ? "-"
              : String.format("%,.0f (> %.1f ms)", slow.count(), 1000 * slow.bound());
        });
    text(
        rows,
        results,
        ratio,
        "1 ms sleeper woke late p99 / max ms",
        r -> {
          Histogram late = figures.apply(r).lateWakeups;
          if (stats.apply(r).activeNanos == 0) {
            return "-";
          }
          return String.format(
              "%.1f / %.1f", late.getValueAtPercentile(99) / 1000.0, late.getMaxValue() / 1000.0);
        });
    num(
        rows,
        results,
        ratio,
        "Inlet JVM CPU, cores",
        r -> figures.apply(r).cpu.inlet() / seconds.apply(r),
        "%.2f");
    num(
        rows,
        results,
        ratio,
        "PostgreSQL CPU, cores",
        r -> figures.apply(r).cpu.postgres() / seconds.apply(r),
        "%.2f");
    num(
        rows,
        results,
        ratio,
        "generator CPU, cores",
        r -> figures.apply(r).cpu.generator() / seconds.apply(r),
        "%.2f");
    num(
        rows,
        results,
        ratio,
        "other processes CPU, cores",
        r -> figures.apply(r).cpu.others() / seconds.apply(r),
        "%.2f");
    num(
        rows,
        results,
        ratio,
        "steal (CPU the hypervisor took), cores",
        r -> figures.apply(r).cpu.steal() / seconds.apply(r),
        "%.2f");
    num(
        rows,
        results,
        ratio,
        "Inlet+PG CPU µs/packet",
        r ->
            1e6
                * (figures.apply(r).cpu.inlet() + figures.apply(r).cpu.postgres())
                / packets.apply(r),
        "%.0f");
    num(
        rows,
        results,
        ratio,
        "  of it Inlet JVM µs/packet",
        r -> 1e6 * figures.apply(r).cpu.inlet() / packets.apply(r),
        "%.0f");
    num(
        rows,
        results,
        ratio,
        "  of it PostgreSQL µs/packet",
        r -> 1e6 * figures.apply(r).cpu.postgres() / packets.apply(r),
        "%.0f");
    num(
        rows,
        results,
        ratio,
        "generator CPU µs/packet",
        r -> 1e6 * figures.apply(r).cpu.generator() / packets.apply(r),
        "%.1f");
    num(
        rows,
        results,
        ratio,
        "ledger commits/s",
        r -> figures.apply(r).commits / seconds.apply(r),
        "%,.0f");
    num(
        rows,
        results,
        ratio,
        "ledger writer busy %",
        r -> 100 * figures.apply(r).commitSeconds / seconds.apply(r),
        "%.0f");
    num(
        rows,
        results,
        ratio,
        "packets per commit (mean)",
        r -> figures.apply(r).batchedPackets / Math.max(1, figures.apply(r).commits),
        "%.1f");
    num(
        rows,
        results,
        ratio,
        "commit time ms (mean)",
        r -> 1000 * figures.apply(r).commitSeconds / Math.max(1, figures.apply(r).commits),
        "%.2f");
  }

  private static int index(List<Result> results, String label) {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).label.equals(label)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Events written in the measured phase (every run: an account without a merchant gets its {@code
   * payment.received} too), and the invoice run's webhook and live stream.
   */
  private static void events(List<String[]> rows, List<Result> results, List<int[]> ratio) {
    section(
        rows,
        "events (measured phase; webhook and live stream: invoice run)",
        results.size(),
        ratio);
    Function<Result, Double> seconds = r -> Math.max(1e-9, r.measured.seconds());
    num(
        rows,
        results,
        ratio,
        "events written/s",
        r -> r.events.values().stream().mapToLong(Long::longValue).sum() / seconds.apply(r),
        "%,.0f");
    text(
        rows,
        results,
        ratio,
        "events written by type",
        r ->
            r.events.isEmpty()
                ? "-"
                : r.events.entrySet().stream()
                    .map(e -> e.getKey() + " " + String.format("%,d", e.getValue()))
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("-"));
    Function<Result, Result.InvoiceFigures> inv = r -> r.invoice;
    text(
        rows,
        results,
        ratio,
        "webhook subscribed to",
        r -> inv.apply(r) == null ? "-" : inv.apply(r).webhookEvents);
    num(
        rows,
        results,
        ratio,
        "webhook deliveries/s (measured, wall time)",
        r ->
            inv.apply(r) == null
                ? Double.NaN
                : inv.apply(r).webhookMeasured / Math.max(1e-9, inv.apply(r).measuredWallSeconds),
        "%,.0f");
    text(
        rows,
        results,
        ratio,
        "webhook deliveries in the measured phase",
        r -> inv.apply(r) == null ? "-" : String.format("%,d", inv.apply(r).webhookMeasured));
    text(
        rows,
        results,
        ratio,
        "webhook lag p50 / p99 / max ms",
        r -> {
          Result.InvoiceFigures f = inv.apply(r);
          return f == null || f.lag.getTotalCount() == 0
              ? "-"
              : String.format(
                  "%d / %d / %d",
                  f.lag.getValueAtPercentile(50),
                  f.lag.getValueAtPercentile(99),
                  f.lag.getMaxValue());
        });
    text(
        rows,
        results,
        ratio,
        "webhook behind at measured end",
        r -> inv.apply(r) == null ? "-" : String.format("%,d", inv.apply(r).behindAtMeasuredEnd));
    text(
        rows,
        results,
        ratio,
        "webhook behind when load stopped",
        r -> inv.apply(r) == null ? "-" : String.format("%,d", inv.apply(r).backlogAtStop));
    text(
        rows,
        results,
        ratio,
        "webhook last delivery after load, s",
        r -> {
          Result.InvoiceFigures f = inv.apply(r);
          return f == null
              ? "-"
              : Double.isNaN(f.drainSeconds)
                  ? String.format(
                      "%,d left after %.0f s",
                      f.subscribedEvents - f.deliveredTotal, f.drainWaitSeconds)
                  : String.format("%.1f", f.drainSeconds);
        });
    text(
        rows,
        results,
        ratio,
        "webhook delivered / subscribed (all)",
        r ->
            inv.apply(r) == null
                ? "-"
                : String.format(
                    "%,d / %,d (%,d signatures verified)",
                    inv.apply(r).deliveredTotal,
                    inv.apply(r).subscribedEvents,
                    inv.apply(r).verifiedSignatures));
    num(
        rows,
        results,
        ratio,
        "live stream events/s (measured, wall time)",
        r ->
            inv.apply(r) == null
                ? Double.NaN
                : inv.apply(r).sseMeasured / Math.max(1e-9, inv.apply(r).measuredWallSeconds),
        "%,.0f");
    text(
        rows,
        results,
        ratio,
        "live stream events / written (all), reconnects",
        r ->
            inv.apply(r) == null
                ? "-"
                : inv.apply(r).sseTotal < 0
                    ? "no stream"
                    : String.format(
                        "%,d / %,d, %d",
                        inv.apply(r).sseTotal,
                        inv.apply(r).eventsTotal,
                        inv.apply(r).sseReconnects));
  }

  private static void cpuBreakdown(String phase, PhaseFigures figures, double seconds) {
    cpuBreakdown("Inlet JVM CPU by thread, " + phase, figures.inletThreads, seconds, 10);
    cpuBreakdown("PostgreSQL CPU by process, " + phase, figures.postgresProcesses, seconds, 5);
    cpuBreakdown("Generator CPU by thread, " + phase, figures.generatorThreads, seconds, 5);
    System.out.println();
  }

  private static void cpuBreakdown(
      String title, java.util.Map<String, double[]> cpu, double phaseSeconds, int n) {
    double seconds = Math.max(1e-9, phaseSeconds);
    double total = cpu.values().stream().mapToDouble(v -> v[0] + v[1]).sum();
    double sys = cpu.values().stream().mapToDouble(v -> v[1]).sum();
    System.out.printf(
        "%s: %.2f cores (%.0f%% of it in the kernel)%n",
        title, total / seconds, 100 * sys / Math.max(1e-9, total));
    cpu.entrySet().stream()
        .sorted(
            (a, b) ->
                Double.compare(
                    b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
        .limit(n)
        .forEach(
            e ->
                System.out.printf(
                    "    %5.2f cores  (user %.2f, kernel %.2f)  %s%n",
                    (e.getValue()[0] + e.getValue()[1]) / seconds,
                    e.getValue()[0] / seconds,
                    e.getValue()[1] / seconds,
                    e.getKey()));
  }

  /** The targets, as figures (they do not decide PASS or FAIL: only the money does). */
  private static void targets(List<Result> results, Options options) {
    int account = index(results, "durable");
    int invoices = index(results, LoadBenchmark.invoicesLabel);
    if (account >= 0 && invoices >= 0) {
      double ratio =
          results.get(invoices).measured.fulfilledPerSecond()
              / Math.max(1e-9, results.get(account).measured.fulfilledPerSecond());
      System.out.printf(
          "target invoice mode >= 80 %% of the account mode: %s (%.2f)%n",
          ratio >= 0.8 ? "met" : "NOT met", ratio);
    }
    for (Result r : results) {
      if (r.label.equals(SendingRun.label)) {
        double tput = r.measured.fulfilledPerSecond();
        System.out.printf(
            "target >= 5,000 outgoing fulfilled packets/s: %s (%,.0f/s)%n",
            tput >= Options.sendTargetPerSecond ? "met" : "NOT met", tput);
      }
    }
    for (Result r : results) {
      if (!r.label.equals("durable")) {
        continue;
      }
      double tput = r.measured.fulfilledPerSecond();
      if (!options.openLoop()) {
        System.out.printf(
            "target >= 20,000 fulfilled packets/s durable: %s (%,.0f/s)%n",
            tput >= Options.targetPerSecond ? "met" : "NOT met", tput);
      }
      if (r.half != null) {
        double p99 = r.half.histogram().getValueAtPercentile(99) / 1000.0;
        boolean atTarget = options.halfLoadOf().equals("target") && tput >= Options.targetPerSecond;
        System.out.printf(
            "target p99 < 20 ms at half %s: %s (p99 %.2f ms at %,.0f/s)%n",
            atTarget ? "the 20,000/s target load" : "the measured load",
            p99 < 20 ? "met" : "NOT met",
            p99,
            r.halfRate);
      }
      System.out.printf(
          "heap after GC: start %.1f MB, middle %.1f MB, end %.1f MB: %+.1f MB over %,d packets "
              + "(%+.1f bytes per packet)%n",
          r.heapStart / 1e6,
          r.heapMiddle / 1e6,
          r.heapEnd / 1e6,
          (r.heapEnd - r.heapStart) / 1e6,
          r.measured.fulfilled.sum(),
          (double) (r.heapEnd - r.heapStart) / Math.max(1, r.measured.fulfilled.sum()));
    }
  }

  private static void latencies(
      List<String[]> rows, List<Result> results, List<int[]> ratio, Function<Result, Histogram> h) {
    for (double p : new double[] {50, 90, 99, 99.9}) {
      num(
          rows,
          results,
          ratio,
          "latency p" + (p == (int) p ? String.valueOf((int) p) : String.valueOf(p)) + " ms",
          r -> r.sending != null ? Double.NaN : h.apply(r).getValueAtPercentile(p) / 1000.0,
          "%.2f");
    }
    num(
        rows,
        results,
        ratio,
        "latency max ms",
        r -> r.sending != null ? Double.NaN : h.apply(r).getMaxValue() / 1000.0,
        "%.2f");
  }

  private static void section(List<String[]> rows, String title, int n, List<int[]> ratio) {
    String[] row = new String[n + 1 + ratio.size()];
    java.util.Arrays.fill(row, "");
    row[0] = "-- " + title;
    rows.add(row);
  }

  private static void num(
      List<String[]> rows,
      List<Result> results,
      List<int[]> ratio,
      String name,
      Function<Result, Double> value,
      String format) {
    List<String> row = new ArrayList<>(List.of(name));
    results.forEach(
        r -> {
          double v = value.apply(r);
          row.add(Double.isNaN(v) ? "-" : String.format(format, v));
        });
    for (int[] pair : ratio) {
      double a = value.apply(results.get(pair[0]));
      double b = value.apply(results.get(pair[1]));
      row.add(b == 0 || Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format("%.2f", a / b));
    }
    rows.add(row.toArray(String[]::new));
  }

  private static void text(
      List<String[]> rows,
      List<Result> results,
      List<int[]> ratio,
      String name,
      Function<Result, String> value) {
    List<String> row = new ArrayList<>(List.of(name));
    results.forEach(r -> row.add(value.apply(r)));
    ratio.forEach(pair -> row.add(""));
    rows.add(row.toArray(String[]::new));
  }

  private static void table(List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] row : rows) {
      if (row[0].startsWith("-- ")) {
        continue;
      }
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      if (row[0].startsWith("-- ")) {
        System.out.println(row[0]);
        continue;
      }
      StringBuilder b = new StringBuilder();
      for (int c = 0; c < cols; c++) {
        b.append(
            c == 0
                ? String.format("%-" + width[c] + "s", row[c])
                : String.format("  %" + width[c] + "s", row[c]));
      }
      System.out.println(b.toString().stripTrailing());
    }
  }
}
