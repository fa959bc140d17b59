package dev.inlet.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Inlet's load benchmark. For each mode (durable paying the account, durable paying invoices — the
 * invoice mode, {@link InvoiceRun}, {@code --pay} — then the non-durable baseline) it starts Inlet
 * as its own process on a fresh embedded PostgreSQL, opens STREAM connections through SPSP,
 * pre-builds valid encrypted Prepares, warms up, loads Inlet over ILP-over-HTTP for a fixed
 * duration or packet count (closed loop, or open loop at a fixed rate), then — closed loop only —
 * offers half the throughput it measured and reports that latency too. It prints throughput,
 * rejects, latency percentiles, CPU time, heap after GC (start, taken before the warm-up's last
 * seconds; middle; end) and a JFR summary, and checks that the ledger credited exactly what was
 * fulfilled: otherwise the run fails; the invoice mode also reports the events written, its
 * webhook's deliveries and lag and its live stream, and checks the invoices' {@code received}. With
 * {@code --ab-jar} it compares two jars instead: durable runs of a baseline jar and of the current
 * one, alternately, for {@code --ab-rounds} rounds ({@link AbReport}).
 */
public final class LoadBenchmark {
  static final String account = "bench";

  /** The durable run paying invoices ({@code --pay}); "durable" is the one paying the account. */
  static final String invoicesLabel = "invoices";

  /**
   * WAL segments (16 MiB each) created before the load: 1 GiB, the embedded server's {@code
   * min_wal_size}.
   */
  static final int walReserveSegments = 64;

  private final Options options;

  private LoadBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(new LoadBenchmark(options).run() ? 0 : 1);
  }

  private boolean run() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    System.out.println(
        "Inlet load benchmark, "
            + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(ZonedDateTime.now()));
    System.out.println("machine: " + Machine.describe(tmp));
    Histogram idle = Hiccups.idle(5);
    System.out.printf(
        "idle machine: a thread sleeping 1 ms at a time woke late by p50 %.2f, p99 %.2f, max %.2f ms "
            + "over 5 s%n",
        idle.getValueAtPercentile(50) / 1000.0,
        idle.getValueAtPercentile(99) / 1000.0,
        idle.getMaxValue() / 1000.0);
    System.out.printf(
        "options: clients=%d connections=%d %s warmup=%ds %s half-load=%s churn-connections=%d "
            + "http-client=%s inlet-jvm-args=%s jfr=%s%n",
        options.clients(),
        options.connections(),
        options.packets() > 0
            ? "packets=" + options.packets()
            : "duration=" + options.durationSeconds() + "s",
        options.warmupSeconds(),
        options.openLoop() ? "rate=" + options.rate() + "/s (open loop)" : "closed loop",
        options.openLoop() || options.halfLoadSeconds() == 0
            ? "off"
            : options.halfLoadSeconds() + "s of " + options.halfLoadOf(),
        options.churnConnections(),
        options.httpClient(),
        String.join(" ", options.inletJvmArgs()),
        options.jfr());
    if (options.floodRun()) {
      return FloodRun.run(options);
    }
    if (!options.curve().equals("off")) {
      return options.curve().equals("sink") ? SinkCurve.run(options) : CurveRun.run(options);
    }
    if (options.coldStart()) {
      return ColdStartRun.run(options);
    }
    List<Result> results = new ArrayList<>();
    if (options.abJar() != null || options.abDashboard() || options.abInvoices()) {
      // A/B: durable runs, baseline and current alternately, so that a drift of the machine hits
      // both alike. --ab-dashboard: the same jar, the current side with a dashboard open;
      // --ab-invoices: the same jar, the current side paying invoices.
      Path baselineJar = options.abJar() == null ? options.inletJar() : options.abJar();
      for (int round = 1; round <= options.abRounds(); round++) {
        Cpu.awaitQuiet(null, options.waitForQuietSeconds());
        results.add(runMode(false, baselineJar, AbReport.baseline + " " + round, false, false));
        Cpu.awaitQuiet(null, options.waitForQuietSeconds());
        results.add(
            runMode(
                false,
                options.inletJar(),
                AbReport.current + " " + round,
                options.abInvoices(),
                options.abDashboard()));
      }
      AbReport.print(results, options);
      return results.stream().allMatch(Result::passed);
    }
    for (boolean nonDurable : options.receives() ? options.nonDurableRuns() : List.<Boolean>of()) {
      if (nonDurable || options.paysAccount()) {
        Cpu.awaitQuiet(null, options.waitForQuietSeconds());
        results.add(
            runMode(
                nonDurable,
                options.inletJar(),
                nonDurable ? "non-durable" : "durable",
                false,
                false));
      }
      if (!nonDurable && options.paysInvoices()) {
        Cpu.awaitQuiet(null, options.waitForQuietSeconds());
        results.add(runMode(false, options.inletJar(), invoicesLabel, true, false));
      }
    }
    if (options.sends()) {
      Cpu.awaitQuiet(null, options.waitForQuietSeconds());
      results.add(runSending(options.inletJar()));
    }
    Report.print(results, options);
    return results.stream().allMatch(Result::passed);
  }

  /** The sending run ({@link SendingRun}) on a fresh durable Inlet from {@code jar}. */
  private Result runSending(Path jar) throws Exception {
    String label = SendingRun.label;
    Result result = new Result(label);
    Path data = Files.createTempDirectory("inlet-load-" + label + "-");
    long t0 = System.nanoTime();
    try (SendReceiver receiver = SendingRun.receiver(options)) {
      log(
          label,
          "starting Inlet %s (durable) with data in %s, its uplink the connector and STREAM "
              + "receiver on port %d",
          jar,
          data,
          receiver.port());
      InletProcess inlet =
          InletProcess.start(
              jar,
              options.inletJvmArgs(),
              data,
              false,
              options.jfrOn() ? options.jfr() : null,
              SendingRun.inletSettings(receiver, options));
      Thread stopOnExit = new Thread(inlet::close, "stop-inlet");
      Runtime.getRuntime().addShutdownHook(stopOnExit);
      try {
        inlet.awaitReady(Duration.ofSeconds(180));
        log(
            label,
            "Inlet ready in %.1f s (pid %d, port %d)",
            (System.nanoTime() - t0) / 1e9,
            inlet.pid(),
            inlet.port());
        int walSegments = inlet.reserveWal(walReserveSegments);
        log(
            label,
            "WAL: %d segments of 16 MiB reserved (%d in pg_wal)",
            walReserveSegments,
            walSegments);
        SendingRun.load(inlet, receiver, result, data, options);
      } catch (Exception e) {
        failed(result, label, e, inlet);
      } finally {
        stop(inlet, stopOnExit, label, data);
      }
    }
    return result;
  }

  /**
   * One run: Inlet from {@code jar} on a fresh database, loaded and checked.
   *
   * @param label names the run in the output (durable, invoices, non-durable, or an A/B round's
   *     side)
   * @param payInvoices pay invoices ({@link InvoiceRun}) instead of the account
   * @param dashboard keep an admin dashboard's live stream open for the run ({@link
   *     DashboardStream})
   */
  private Result runMode(
      boolean nonDurable, Path jar, String label, boolean payInvoices, boolean dashboard)
      throws Exception {
    Result result = new Result(label);
    Path data =
        Files.createTempDirectory("inlet-load-" + label.replaceAll("[^A-Za-z0-9-]", "-") + "-");
    log(
        label,
        "starting Inlet %s (%s) with data in %s",
        jar,
        nonDurable
            ? "--inlet.unsafe-non-durable-commits=true: synchronous_commit=off"
            : "durable: fsync=on, synchronous_commit=on",
        data);
    long t0 = System.nanoTime();
    InletProcess inlet =
        InletProcess.start(
            jar,
            options.inletJvmArgs(),
            data,
            nonDurable,
            options.jfrOn() ? options.jfr() : null,
            // The webhook receiver listens on loopback.
            payInvoices ? List.of("--inlet.webhook.allow-private=true") : List.of());
    Thread stopOnExit = new Thread(inlet::close, "stop-inlet");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      inlet.awaitReady(Duration.ofSeconds(180));
      log(
          label,
          "Inlet ready in %.1f s (pid %d, port %d, POST /ilp on %s)",
          (System.nanoTime() - t0) / 1e9,
          inlet.pid(),
          inlet.port(),
          inlet.ownIlpPort()
              ? "its own port " + inlet.ilpPort()
              : "the same port (a jar from before the ILP-over-HTTP listener)");
      if (dashboard) {
        try (DashboardStream live = DashboardStream.open(inlet.port())) {
          log(label, "admin dashboard open: GET /admin/ui/live/stream");
          new ModePhases(options).load(inlet, result, label, data, payInvoices);
          Metrics metrics = inlet.metrics();
          double reads = metrics.sum("inlet_dashboard_live_reads_seconds_count");
          double readSeconds = metrics.sum("inlet_dashboard_live_reads_seconds_sum");
          log(
              label,
              "admin dashboard: %d live snapshots, %,d bytes; Inlet read them %.0f times, %.2f ms"
                  + " each on average (%.2f s in all)",
              live.snapshots.sum(),
              live.bytes.sum(),
              reads,
              1e3 * readSeconds / Math.max(1, reads),
              readSeconds);
        }
      } else {
        new ModePhases(options).load(inlet, result, label, data, payInvoices);
      }
    } catch (Exception e) {
      failed(result, label, e, inlet);
    } finally {
      stop(inlet, stopOnExit, label, data);
    }
    return result;
  }

  private static void failed(Result result, String label, Exception e, InletProcess inlet) {
    result.failures.add("run failed: " + e);
    System.err.println("[" + label + "] " + e + "\nInlet log tail:\n" + inlet.logTail());
  }

  /** Stops a run's Inlet and deletes its data, unless --keep-data. */
  private void stop(InletProcess inlet, Thread stopOnExit, String label, Path data) {
    inlet.close();
    Runtime.getRuntime().removeShutdownHook(stopOnExit);
    if (!options.keepData()) {
      deleteTree(data);
    } else {
      log(label, "data kept in %s", data);
    }
  }

  static void log(String label, String format, Object... args) {
    System.out.printf("[%s] %s%n", label, String.format(format, args));
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
