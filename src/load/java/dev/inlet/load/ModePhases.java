package dev.inlet.load;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The phases of one run of {@link LoadBenchmark} on a ready Inlet: the account or the invoices
 * (InvoiceRun) set up, STREAM connections opened, the warm-up, the measured phase in two halves,
 * the half-load phase (closed loop only), the invoice run's webhook drained, and the ledger check.
 */
final class ModePhases {
  /** After the load, the longest wait for the invoice run's webhook deliveries to arrive. */
  private static final int drainSeconds = 60;

  /**
   * Prepares a closed loop's warm-up gets per second of it: above the peak (about 45,000/s here),
   * so the warm-up lasts as long as asked. At 20,000 it ran out after about 21 of 40 s, before its
   * settling seconds after the checkpoint.
   */
  private static final int prebuildGuessPerSecond = 60_000;

  /**
   * Unmeasured load after a forced full GC (the start heap sample; the end one, before the
   * half-load phase): long enough for the JIT to recompile what that GC unloaded.
   */
  private static final int settleSeconds = 15;

  private static final String maxEventId = "SELECT coalesce(max(id), 0) FROM events";

  private final Options options;

  ModePhases(Options options) {
    this.options = options;
  }

  /** The phases of one run on a ready Inlet. */
  void load(InletProcess inlet, Result result, String label, Path data, boolean payInvoices)
      throws Exception {
    boolean rawClient = options.httpClient().equals("raw");
    long t2 = System.nanoTime();
    int walSegments = inlet.reserveWal(LoadBenchmark.walReserveSegments);
    LoadBenchmark.log(
        label,
        "WAL: %d segments of 16 MiB created and recycled in %.1f s (%d in pg_wal)",
        LoadBenchmark.walReserveSegments,
        (System.nanoTime() - t2) / 1e9,
        walSegments);
    if (!payInvoices) {
      HttpResponse<String> created =
          inlet.adminPost("/admin/accounts", "{\"name\":\"" + LoadBenchmark.account + "\"}");
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
        LoadBenchmark.log(
            label,
            "merchant %s, account %s, %d invoices of %s, webhook on %s for %s, one live event "
                + "stream",
            InvoiceRun.merchant,
            LoadBenchmark.account,
            invoices.spspPaths.size(),
            InvoiceRun.invoiceAmount,
            invoices.webhook.url(),
            String.join(", ", invoices.types));
      }
      List<String> paths =
          invoices != null ? invoices.spspPaths : List.of("/" + LoadBenchmark.account);
      long t1 = System.nanoTime();
      List<PacketFactory.Connection> connections =
          SpspConnections.open(http, options.connections(), options.clients(), paths);
      List<PacketFactory.Connection> churn =
          SpspConnections.open(http, options.churnConnections(), options.clients(), paths);
      LoadBenchmark.log(
          label,
          "opened %d STREAM connections via SPSP (GET %s)%s in %.1f s",
          connections.size(),
          invoices != null ? "/invoices/<id>, one per invoice" : "/" + LoadBenchmark.account,
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
        LoadBenchmark.log(
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
        LoadBenchmark.log(
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
        LoadBenchmark.log(
            label,
            "half load: offered %,.0f/s, %,.0f fulfilled/s, p99 %.2f ms",
            result.halfRate,
            result.half.fulfilledPerSecond(),
            result.half.histogram().getValueAtPercentile(99) / 1000.0);
      }

      if (invoices != null) {
        invoices.drain(inlet, result.invoice, drainSeconds);
        Result.InvoiceFigures f = result.invoice;
        LoadBenchmark.log(
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
      LoadBenchmark.log(
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
    LoadBenchmark.log(
        label,
        "pre-built %,d Prepares%s in %.1f s",
        pool.packets(),
        churnUnits > 0 ? " (" + churnUnits + " churn connections: pay, then close)" : "",
        (System.nanoTime() - t) / 1e9);
    return pool;
  }
}
