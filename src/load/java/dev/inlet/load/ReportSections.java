package dev.inlet.load;

import java.util.List;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * {@link Report}'s sections beyond throughput and latency: Inlet's side of a phase (its p99s, CPU
 * by process, the ledger's commits), the events and webhook of the invoice run, and the sending
 * run.
 */
final class ReportSections {
  private ReportSections() {}

  /** Inlet's side of a phase: its own p99s, CPU, the ledger's commits. */
  static void phase(
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
    ReportRows.num(
        rows,
        results,
        ratio,
        "Inlet-side p99 ms (histogram)",
        r -> 1000 * figures.apply(r).inletP99,
        "≤%.0f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "ledger commit p99 ms (histogram)",
        r -> 1000 * figures.apply(r).commitP99,
        "≤%.0f");
    ReportRows.text(
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
    ReportRows.text(
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
    ReportRows.num(
        rows,
        results,
        ratio,
        "Inlet JVM CPU, cores",
        r -> figures.apply(r).cpu.inlet() / seconds.apply(r),
        "%.2f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "PostgreSQL CPU, cores",
        r -> figures.apply(r).cpu.postgres() / seconds.apply(r),
        "%.2f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "generator CPU, cores",
        r -> figures.apply(r).cpu.generator() / seconds.apply(r),
        "%.2f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "other processes CPU, cores",
        r -> figures.apply(r).cpu.others() / seconds.apply(r),
        "%.2f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "steal (CPU the hypervisor took), cores",
        r -> figures.apply(r).cpu.steal() / seconds.apply(r),
        "%.2f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "Inlet+PG CPU µs/packet",
        r ->
            1e6
                * (figures.apply(r).cpu.inlet() + figures.apply(r).cpu.postgres())
                / packets.apply(r),
        "%.0f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "  of it Inlet JVM µs/packet",
        r -> 1e6 * figures.apply(r).cpu.inlet() / packets.apply(r),
        "%.0f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "  of it PostgreSQL µs/packet",
        r -> 1e6 * figures.apply(r).cpu.postgres() / packets.apply(r),
        "%.0f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "generator CPU µs/packet",
        r -> 1e6 * figures.apply(r).cpu.generator() / packets.apply(r),
        "%.1f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "ledger commits/s",
        r -> figures.apply(r).commits / seconds.apply(r),
        "%,.0f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "ledger writer busy %",
        r -> 100 * figures.apply(r).commitSeconds / seconds.apply(r),
        "%.0f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "packets per commit (mean)",
        r -> figures.apply(r).batchedPackets / Math.max(1, figures.apply(r).commits),
        "%.1f");
    ReportRows.num(
        rows,
        results,
        ratio,
        "commit time ms (mean)",
        r -> 1000 * figures.apply(r).commitSeconds / Math.max(1, figures.apply(r).commits),
        "%.2f");
  }

  /**
   * Events written in the measured phase (every run: an account without a merchant gets its {@code
   * payment.received} too), and the invoice run's webhook and live stream.
   */
  static void events(List<String[]> rows, List<Result> results, List<int[]> ratio) {
    ReportRows.section(
        rows,
        "events (measured phase; webhook and live stream: invoice run)",
        results.size(),
        ratio);
    Function<Result, Double> seconds = r -> Math.max(1e-9, r.measured.seconds());
    ReportRows.num(
        rows,
        results,
        ratio,
        "events written/s",
        r -> r.events.values().stream().mapToLong(Long::longValue).sum() / seconds.apply(r),
        "%,.0f");
    ReportRows.text(
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
    ReportRows.text(
        rows,
        results,
        ratio,
        "webhook subscribed to",
        r -> inv.apply(r) == null ? "-" : inv.apply(r).webhookEvents);
    ReportRows.num(
        rows,
        results,
        ratio,
        "webhook deliveries/s (measured, wall time)",
        r ->
            inv.apply(r) == null
                ? Double.NaN
                : inv.apply(r).webhookMeasured / Math.max(1e-9, inv.apply(r).measuredWallSeconds),
        "%,.0f");
    ReportRows.text(
        rows,
        results,
        ratio,
        "webhook deliveries in the measured phase",
        r -> inv.apply(r) == null ? "-" : String.format("%,d", inv.apply(r).webhookMeasured));
    ReportRows.text(
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
    ReportRows.text(
        rows,
        results,
        ratio,
        "webhook behind at measured end",
        r -> inv.apply(r) == null ? "-" : String.format("%,d", inv.apply(r).behindAtMeasuredEnd));
    ReportRows.text(
        rows,
        results,
        ratio,
        "webhook behind when load stopped",
        r -> inv.apply(r) == null ? "-" : String.format("%,d", inv.apply(r).backlogAtStop));
    ReportRows.text(
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
    ReportRows.text(
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
    ReportRows.num(
        rows,
        results,
        ratio,
        "live stream events/s (measured, wall time)",
        r ->
            inv.apply(r) == null
                ? Double.NaN
                : inv.apply(r).sseMeasured / Math.max(1e-9, inv.apply(r).measuredWallSeconds),
        "%,.0f");
    ReportRows.text(
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

  /**
   * The sending run: its payouts, Inlet's own count of what it sent, the database's commits, how
   * long a Prepare took from being built to reaching the receiver, and how the payouts ended.
   */
  static void sending(List<String[]> rows, List<Result> results, List<int[]> ratio) {
    ReportRows.section(
        rows,
        "sending (measured phase; fulfilled packets/s above: counted at the receiver)",
        results.size(),
        ratio);
    Function<Result, Result.SendingFigures> f = r -> r.sending;
    ReportRows.text(
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
    ReportRows.num(
        rows,
        results,
        ratio,
        "inlet_packets_sent_total fulfilled/s",
        r ->
            f.apply(r) == null
                ? Double.NaN
                : f.apply(r).sentFulfilled / Math.max(1e-9, r.measured.seconds()),
        "%,.0f");
    ReportRows.text(
        rows,
        results,
        ratio,
        "inlet_packets_sent_total, other results",
        r -> f.apply(r) == null ? "-" : f.apply(r).otherResults);
    ReportRows.num(
        rows,
        results,
        ratio,
        "PostgreSQL commits/s (pg_stat_database)",
        r ->
            f.apply(r) == null
                ? Double.NaN
                : f.apply(r).databaseCommits / Math.max(1e-9, r.measured.seconds()),
        "%,.0f");
    ReportRows.num(
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
      ReportRows.num(
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
    ReportRows.text(
        rows, results, ratio, "payouts ended", r -> f.apply(r) == null ? "-" : f.apply(r).states);
    ReportRows.text(
        rows,
        results,
        ratio,
        "payouts' sent / receiver got",
        r -> f.apply(r) == null ? "-" : f.apply(r).sent + " / " + f.apply(r).received);
  }
}
