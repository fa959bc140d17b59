package dev.inlet.load;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  /** After the load, the longest wait for the invoice run's webhook deliveries to arrive. */
  private static final int drainSeconds = 60;

  private static final int prebuildGuessPerSecond = 20_000;

  /**
   * Unmeasured load after a forced full GC (the start heap sample; the end one, before the
   * half-load phase): long enough for the JIT to recompile what that GC unloaded.
   */
  private static final int settleSeconds = 15;

  /**
   * WAL segments (16 MiB each) created before the load: 1 GiB, the embedded server's {@code
   * min_wal_size}.
   */
  private static final int walReserveSegments = 64;

  private static final String maxEventId = "SELECT coalesce(max(id), 0) FROM events";

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
    if (options.flood()) {
      return FloodRun.run(options);
    }
    if (options.curve()) {
      return CurveRun.run(options);
    }
    if (options.coldStart()) {
      return ColdStartRun.run(options);
    }
    List<Result> results = new ArrayList<>();
    if (options.abJar() != null || options.abDashboard()) {
      // A/B: durable runs, baseline and current alternately, so that a drift of the machine hits
      // both alike. --ab-dashboard: the same jar, the current side with a dashboard open.
      Path baselineJar = options.abDashboard() ? options.inletJar() : options.abJar();
      for (int round = 1; round <= options.abRounds(); round++) {
        Cpu.awaitQuiet(null, options.waitForQuietSeconds());
        results.add(runMode(false, baselineJar, AbReport.baseline + " " + round, false, false));
        Cpu.awaitQuiet(null, options.waitForQuietSeconds());
        results.add(
            runMode(
                false,
                options.inletJar(),
                AbReport.current + " " + round,
                false,
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
          load(inlet, result, label, data, payInvoices);
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
        load(inlet, result, label, data, payInvoices);
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

  /** The phases of one run on a ready Inlet. */
  private void load(InletProcess inlet, Result result, String label, Path data, boolean payInvoices)
      throws Exception {
    boolean rawClient = options.httpClient().equals("raw");
    long t2 = System.nanoTime();
    int walSegments = inlet.reserveWal(walReserveSegments);
    log(
        label,
        "WAL: %d segments of 16 MiB created and recycled in %.1f s (%d in pg_wal)",
        walReserveSegments,
        (System.nanoTime() - t2) / 1e9,
        walSegments);
    if (!payInvoices) {
      HttpResponse<String> created =
          inlet.adminPost("/admin/accounts", "{\"name\":\"" + account + "\"}");
      if (created.statusCode() != 201) {
        throw new IllegalStateException(
            "creating the account: " + created.statusCode() + " " + created.body());
      }
    }
    try (ReactorHttp http =
            new ReactorHttp(
                inlet.port(), inlet.ilpPort(), options.clients(), InletProcess.connectorToken);
        RawIlpClient raw = rawClient ? new RawIlpClient(inlet.ilpPort(), options.clients()) : null;
        InvoiceRun invoices =
            payInvoices
                ? InvoiceRun.setUp(
                    inlet, options.connections(), options.webhookEvents(), options.eventStream())
                : null) {
      if (invoices != null) {
        result.invoice = new Result.InvoiceFigures();
        result.invoice.webhookEvents =
            options.webhookEvents().equals("all") ? "all types" : "invoice.*";
        log(
            label,
            "merchant %s, account %s, %d invoices of %s, webhook on %s for %s, one live event "
                + "stream",
            InvoiceRun.merchant,
            account,
            invoices.spspPaths.size(),
            InvoiceRun.invoiceAmount,
            invoices.webhook.url(),
            String.join(", ", invoices.types));
      }
      List<String> paths = invoices != null ? invoices.spspPaths : List.of("/" + account);
      long t1 = System.nanoTime();
      List<PacketFactory.Connection> connections =
          SpspConnections.open(http, options.connections(), options.clients(), paths);
      List<PacketFactory.Connection> churn =
          SpspConnections.open(http, options.churnConnections(), options.clients(), paths);
      log(
          label,
          "opened %d STREAM connections via SPSP (GET %s)%s in %.1f s",
          connections.size(),
          invoices != null ? "/invoices/<id>, one per invoice" : "/" + account,
          churn.isEmpty() ? "" : " and " + churn.size() + " churn connections",
          (System.nanoTime() - t1) / 1e9);
      PacketFactory factory =
          new PacketFactory(connections, churn, inlet.ilpPort(), InletProcess.connectorToken);
      Driver driver = new Driver(raw != null ? raw : http, options.clients());

      // Warm-up: not measured, but its money counts in the ledger check.
      if (options.warmupSeconds() > 0) {
        int n =
            options.openLoop()
                ? (int) Math.ceil(options.rate() * options.warmupSeconds() * 1.05)
                    + options.clients()
                : Math.min(options.maxPrebuilt(), options.warmupSeconds() * prebuildGuessPerSecond);
        Pool warm = prebuild(label, factory, n, 0, options.warmupSeconds());
        // The start heap sample forces a full GC, after which the JIT recompiles for seconds; a
        // checkpoint writes
        // the warm-up's dirty pages and recycles its WAL (InletProcess.checkpoint). Both before the
        // warm-up's last
        // seconds: their after-effects are warm-up, not measured, work.
        long total = TimeUnit.SECONDS.toNanos(options.warmupSeconds());
        long settle = Math.min(TimeUnit.SECONDS.toNanos(settleSeconds), total / 2);
        try (Progress p = new Progress(label, "warm-up", result.warmup)) {
          load(driver, warm, result.warmup, warm.units(), total - settle);
          result.heapStart = inlet.heapAfterGc();
          inlet.checkpoint();
          load(driver, warm, result.warmup, warm.units(), settle);
        }
        log(
            label,
            "warm-up: %,.0f fulfilled/s over %.1f s",
            result.warmup.fulfilledPerSecond(),
            result.warmup.seconds());
      }

      // Measured phase, in two halves with the middle heap sample between them (not under load, not
      // timed).
      int churnUnits = options.churnConnections();
      int n;
      if (options.packets() > 0) {
        n = (int) options.packets();
      } else if (options.openLoop()) {
        n = (int) Math.ceil(options.rate() * options.durationSeconds() * 1.05) + options.clients();
      } else {
        double guess = Math.max(2_000, result.warmup.answeredPerSecond());
        n =
            (int)
                Math.min(
                    options.maxPrebuilt(),
                    Math.ceil(guess * options.durationSeconds() * 1.5) + 10_000);
      }
      Pool pool = prebuild(label, factory, n, churnUnits, options.durationSeconds());
      Cpu.awaitQuiet(inlet, options.waitForQuietSeconds());
      int[] limits =
          options.packets() > 0
              ? new int[] {pool.units() / 2, pool.units()}
              : new int[] {pool.units(), pool.units()};
      long half = TimeUnit.SECONDS.toNanos(options.durationSeconds()) / 2;
      // A packet count still has a time bound: each half stops after 20 minutes at most.
      long partNanos = options.packets() > 0 ? TimeUnit.MINUTES.toNanos(20) : half;
      Metrics before = inlet.metrics();
      // A baseline jar from before the events (db/V2) has no table to count.
      boolean hasEvents =
          inlet.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'events'") > 0;
      long eventsBefore = hasEvents ? inlet.queryLong(maxEventId) : 0;
      long webhookBefore = invoices == null ? 0 : invoices.webhook.deliveries.sum();
      long sseBefore = invoices == null ? 0 : invoices.streamed();
      if (invoices != null) {
        invoices.webhook.lagSinceLast();
      }
      long measuredFrom = System.nanoTime();
      if (options.warmupSeconds() == 0) {
        result.heapStart = inlet.heapAfterGc();
      }
      List<Instant[]> windows = new ArrayList<>();
      for (int part = 0; part < 2; part++) {
        PhaseFigures.Start start = PhaseFigures.start(inlet);
        Instant from = Instant.now();
        try (Progress p = new Progress(label, "measured part " + (part + 1), result.measured)) {
          load(driver, pool, result.measured, limits[part], partNanos);
        }
        result.figures.addSince(start, inlet);
        windows.add(new Instant[] {from, Instant.now()});
        log(
            label,
            "measured part %d: %,d fulfilled so far, %,.0f fulfilled/s",
            part + 1,
            result.measured.fulfilled.sum(),
            result.measured.fulfilledPerSecond());
        if (part == 0) {
          result.heapMiddle = inlet.heapAfterGc();
        }
      }
      Metrics after = inlet.metrics();
      long eventsAfter = hasEvents ? inlet.queryLong(maxEventId) : 0;
      if (invoices != null) {
        Result.InvoiceFigures f = result.invoice;
        f.measuredWallSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        f.webhookMeasured = invoices.webhook.deliveries.sum() - webhookBefore;
        f.sseMeasured = invoices.streamed() - sseBefore;
        f.lag = invoices.webhook.lagSinceLast();
        f.behindAtMeasuredEnd =
            inlet.queryLong(
                    "SELECT count(*) FROM events WHERE id <= "
                        + eventsAfter
                        + " AND "
                        + invoices.subscribedFilter())
                - invoices.webhook.deliveries.sum();
      }
      if (hasEvents) {
        result.events.putAll(
            inlet.counts(
                "SELECT type, count(*) FROM events WHERE id > "
                    + eventsBefore
                    + " AND id <= "
                    + eventsAfter
                    + " GROUP BY type ORDER BY 2 DESC"));
      }
      result.heapEnd = inlet.heapAfterGc();
      result.poolUnits = pool.units();
      result.churnUnits = pool.churnUnits;
      result.usedUnits = pool.claimed();
      result.figures.ledger(before, after);
      if (options.jfrOn()) {
        Path jfr = data.resolve("inlet.jfr");
        inlet.jfrDump(jfr);
        result.jfr = JfrSummary.read(jfr, windows);
      }

      // Latency at half the measured throughput, open loop.
      if (!options.openLoop()
          && options.halfLoadSeconds() > 0
          && result.measured.fulfilledPerSecond() > 0) {
        result.halfRate = options.halfLoadRate(result.measured.fulfilledPerSecond());
        int seconds = settleSeconds + options.halfLoadSeconds();
        int m = (int) Math.ceil(result.halfRate * seconds * 1.05) + options.clients();
        Pool halfPool = prebuild(label, factory, m, 0, seconds);
        Cpu.awaitQuiet(inlet, options.waitForQuietSeconds());
        // First unmeasured, like the warm-up (and its money counted with the warm-up's): the end
        // heap sample's full
        // GC has just sent the JIT recompiling, and the WAL segments recycled at the warm-up's
        // checkpoint may be used
        // up.
        inlet.checkpoint();
        driver.openLoop(
            halfPool,
            result.warmup,
            halfPool.units(),
            TimeUnit.SECONDS.toNanos(settleSeconds),
            result.halfRate);
        result.half = new Stats();
        Metrics halfBefore = inlet.metrics();
        PhaseFigures.Start halfStart = PhaseFigures.start(inlet);
        driver.openLoop(
            halfPool,
            result.half,
            halfPool.units(),
            TimeUnit.SECONDS.toNanos(options.halfLoadSeconds()),
            result.halfRate);
        result.halfFigures.addSince(halfStart, inlet);
        result.halfFigures.ledger(halfBefore, inlet.metrics());
        log(
            label,
            "half load: offered %,.0f/s, %,.0f fulfilled/s, p99 %.2f ms",
            result.halfRate,
            result.half.fulfilledPerSecond(),
            result.half.histogram().getValueAtPercentile(99) / 1000.0);
      }

      if (invoices != null) {
        invoices.drain(inlet, result.invoice, drainSeconds);
        Result.InvoiceFigures f = result.invoice;
        log(
            label,
            "webhook: %,d of %,d subscribed events delivered, %,d behind when the load stopped, %s; "
                + "live stream: %,d events, %d reconnects",
            f.deliveredTotal,
            f.subscribedEvents,
            f.backlogAtStop,
            Double.isNaN(f.drainSeconds)
                ? String.format("not all delivered %.0f s later", f.drainWaitSeconds)
                : String.format("the last arrived %.1f s after it", f.drainSeconds),
            f.sseTotal,
            f.sseReconnects);
      }
      LedgerCheck.check(inlet, result);
      if (invoices != null) {
        LedgerCheck.checkInvoices(invoices, result);
      }
      log(
          label,
          "ledger check %s",
          result.passed() ? "PASS" : "FAIL: " + String.join("; ", result.failures));
    }
  }

  /**
   * Runs the configured load (open loop at {@code --rate}, or closed loop) on {@code pool} for
   * {@code nanos}.
   */
  private void load(Driver driver, Pool pool, Stats stats, int limit, long nanos)
      throws InterruptedException {
    if (options.openLoop()) {
      driver.openLoop(pool, stats, limit, nanos, options.rate());
    } else {
      driver.closedLoop(pool, stats, limit, nanos);
    }
  }

  private Pool prebuild(
      String label, PacketFactory factory, int packets, int churnUnits, int seconds) {
    long t = System.nanoTime();
    // Far enough ahead to outlast the phase (Inlet rejects Prepares expiring within 1 s).
    Instant expiry =
        Instant.now()
            .plus(Duration.ofMinutes(10))
            .plusSeconds(seconds)
            .plusSeconds((packets + 2L * churnUnits) / 1_000);
    Pool pool = factory.build(packets, churnUnits, expiry);
    // Promote the pool now: copying hundreds of MB of fresh requests would otherwise be a generator
    // GC pause of
    // up to half a second inside the phase, counted as latency.
    System.gc();
    log(
        label,
        "pre-built %,d Prepares%s in %.1f s",
        pool.packets(),
        churnUnits > 0 ? " (" + churnUnits + " churn connections: pay, then close)" : "",
        (System.nanoTime() - t) / 1e9);
    return pool;
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
