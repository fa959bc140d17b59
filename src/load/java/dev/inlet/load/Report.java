package dev.inlet.load;

import java.util.ArrayList;
import java.util.List;
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
    ReportRows.section(rows, "measured phase (" + load + ")", results.size(), ratio);
    ReportRows.num(
        rows, results, ratio, "fulfilled packets/s", r -> r.measured.fulfilledPerSecond(), "%,.0f");
    ReportRows.text(
        rows,
        results,
        ratio,
        "fulfilled packets",
        r -> String.format("%,d", r.measured.fulfilled.sum()));
    ReportRows.text(
        rows,
        results,
        ratio,
        "time under load",
        r -> String.format("%.1f s", r.measured.seconds()));
    ReportRows.text(rows, results, ratio, "rejects by code", r -> Stats.counts(r.measured.rejects));
    ReportRows.text(rows, results, ratio, "transport errors", r -> Stats.counts(r.measured.errors));
    if (results.stream().anyMatch(r -> r.churnUnits > 0)) {
      ReportRows.text(
          rows,
          results,
          ratio,
          "churn connections closed",
          r -> String.format("%,d of %,d", r.measured.churnClosed.sum(), r.churnUnits));
    }
    ReportRows.latencies(rows, results, ratio, Result::latency);
    ReportRows.text(
        rows,
        results,
        ratio,
        "over 20 ms: share; seconds > 1 %; worst",
        r -> r.sending != null ? "-" : r.measured.slowSeconds());
    ReportSections.phase(rows, results, ratio, r -> r.figures, r -> r.measured);
    ReportRows.text(
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
      ReportRows.section(
          rows,
          "half load (open loop at half "
              + (options.halfLoadOf().equals("max")
                  ? "the fulfilled packets/s above)"
                  : "the 20,000/s target, or of the fulfilled packets/s above if lower)"),
          results.size(),
          ratio);
      ReportRows.num(
          rows,
          results,
          ratio,
          "offered packets/s",
          r -> r.half == null ? Double.NaN : r.halfRate,
          "%,.0f");
      ReportRows.num(
          rows,
          results,
          ratio,
          "fulfilled packets/s",
          r -> r.half == null ? Double.NaN : r.half.fulfilledPerSecond(),
          "%,.0f");
      ReportRows.text(
          rows,
          results,
          ratio,
          "rejects by code",
          r -> r.half == null ? "-" : Stats.counts(r.half.rejects));
      ReportRows.latencies(
          rows, results, ratio, r -> r.half == null ? new Histogram(3) : r.half.histogram());
      ReportRows.text(
          rows,
          results,
          ratio,
          "over 20 ms: share; seconds > 1 %; worst",
          r -> r.half == null ? "-" : r.half.slowSeconds());
      ReportSections.phase(
          rows, results, ratio, r -> r.halfFigures, r -> r.half == null ? new Stats() : r.half);
    }
    if (results.stream().anyMatch(r -> !r.events.isEmpty() || r.invoice != null)) {
      ReportSections.events(rows, results, ratio);
    }
    if (results.stream().anyMatch(r -> r.sending != null)) {
      ReportSections.sending(rows, results, ratio);
    }
    ReportRows.section(rows, "money", results.size(), ratio);
    ReportRows.text(
        rows,
        results,
        ratio,
        "fulfilled amount (all phases; sending: funded + sent)",
        r -> r.expectedCredit.toString());
    ReportRows.text(rows, results, ratio, "ledger credited", r -> r.ledgerCredited.toString());
    if (results.stream().anyMatch(r -> r.invoice != null)) {
      ReportRows.text(
          rows,
          results,
          ratio,
          "invoices' received (GET /v1/invoices)",
          r -> r.invoice == null ? "-" : r.invoice.invoicesReceived.toString());
      ReportRows.text(
          rows,
          results,
          ratio,
          "invoices table after the run",
          r -> r.invoice == null ? "-" : r.invoice.invoiceTable);
    }
    ReportRows.text(rows, results, ratio, "ledger check", r -> r.passed() ? "PASS" : "FAIL");
    ReportRows.table(rows);
    targets(results, options);
    for (Result r : results) {
      r.failures.forEach(f -> System.out.println("FAIL [" + r.label + "] " + f));
    }
    System.out.println(results.stream().allMatch(Result::passed) ? "PASS" : "FAIL");
  }

  private static int index(List<Result> results, String label) {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).label.equals(label)) {
        return i;
      }
    }
    return -1;
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
}
