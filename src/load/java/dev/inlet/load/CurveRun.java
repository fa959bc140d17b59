package dev.inlet.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load curve ({@code --curve=on}, issue 22): how Inlet does below its peak. One durable Inlet
 * paying the account, one warm-up ({@code --warmup-seconds}, closed loop at {@code --clients}),
 * then phases of open loops at 1,000, 5,000, 10,000 and 20,000 offered packets/s and closed loops
 * of 32 and 512 clients, then five half-load phases (open loop at 10,000/s). Each phase runs {@link
 * #settleSeconds} unmeasured (after a checkpoint, so that the previous phase's dirty pages are not
 * written inside it), then {@link #measuredSeconds} measured. {@link CurveReport} prints them as
 * one table; the ledger check covers every phase's money.
 */
final class CurveRun {
  static final String label = "curve";

  /** Unmeasured load at a phase's rate before it is measured. */
  static final int settleSeconds = 15;

  static final int measuredSeconds = 15;

  /** The half-load phases' rate, packets/s: half the 20,000/s target. */
  static final double halfRate = Options.targetPerSecond / 2;

  static final int halfRepeats = 5;

  /** A phase: an open loop at {@code rate} offered packets/s, or (rate 0) {@code clients}. */
  record Phase(String name, double rate, int clients) {
    static Phase open(double rate) {
      return new Phase(String.format("open %,.0f/s", rate), rate, 0);
    }

    static Phase closed(int clients) {
      return new Phase("closed " + clients + " clients", 0, clients);
    }

    /** Requests in flight at most: {@code --clients} for an open loop, else the phase's clients. */
    int lines(Options options) {
      return rate > 0 ? options.clients() : Math.min(clients, options.clients());
    }

    /**
     * Prepares for {@code seconds} of this phase, a closed loop's at 1.3 × {@code closedGuess}
     * packets/s.
     */
    Pool prebuild(AccountBench bench, Options options, double closedGuess, int seconds) {
      double perSecond = rate > 0 ? rate : closedGuess * 1.3;
      return bench.prebuild(
          (int) Math.ceil(perSecond * seconds * 1.05) + options.clients(), seconds);
    }
  }

  /** A measured phase's figures: the generator's and Inlet's side. */
  record Measured(Phase phase, Stats stats, PhaseFigures figures) {}

  private CurveRun() {}

  static boolean run(Options options) throws Exception {
    Result result = new Result(label);
    Stats warmup = new Stats();
    List<Measured> curve = new ArrayList<>();
    List<Measured> half = new ArrayList<>();
    double readySeconds = Double.NaN;
    try (AccountBench bench = AccountBench.start(options, label)) {
      readySeconds = bench.readySeconds;
      try {
        bench.reserveWal();
        bench.connect();
        warmUp(bench, options, warmup);
        result.warmup.addMoney(warmup);
        double guess = Math.max(2_000, warmup.answeredPerSecond());
        for (Phase phase : phases(options)) {
          curve.add(measure(bench, options, phase, guess, result));
        }
        for (int i = 1; i <= halfRepeats; i++) {
          Phase phase = new Phase("half load " + i, halfRate, 0);
          half.add(measure(bench, options, phase, guess, result));
        }
        LedgerCheck.check(bench.inlet, result);
      } catch (Exception e) {
        result.failures.add("run failed: " + e);
        System.err.println("[" + label + "] " + e + "\nInlet log tail:\n" + bench.inlet.logTail());
      }
    }
    CurveReport.print(curve, half, result, warmup, readySeconds);
    return result.passed();
  }

  /** The curve's phases: open loops, then closed loops up to {@code --clients} (the peak, last). */
  static List<Phase> phases(Options options) {
    return List.of(
        Phase.open(1_000),
        Phase.open(5_000),
        Phase.open(10_000),
        Phase.open(20_000),
        Phase.closed(32),
        Phase.closed(options.clients()));
  }

  private static void warmUp(AccountBench bench, Options options, Stats warmup) throws Exception {
    int seconds = options.warmupSeconds();
    if (seconds == 0) {
      return;
    }
    Pool pool = bench.prebuild(seconds * 40_000, seconds);
    try (Progress p = new Progress(label, "warm-up", warmup)) {
      bench
          .driver(options.clients())
          .closedLoop(pool, warmup, pool.units(), TimeUnit.SECONDS.toNanos(seconds));
    }
    AccountBench.log(
        label,
        "warm-up: %,.0f fulfilled/s over %.1f s",
        warmup.fulfilledPerSecond(),
        warmup.seconds());
  }

  /**
   * One phase: a checkpoint, {@link #settleSeconds} unmeasured (its money counted with the
   * warm-up's), then {@link #measuredSeconds} measured with Inlet's CPU and ledger figures.
   */
  private static Measured measure(
      AccountBench bench, Options options, Phase phase, double closedGuess, Result result)
      throws Exception {
    Pool pool = phase.prebuild(bench, options, closedGuess, settleSeconds + measuredSeconds);
    Driver driver = bench.driver(phase.lines(options));
    Cpu.awaitQuiet(bench.inlet, options.waitForQuietSeconds());
    bench.inlet.checkpoint();
    load(driver, phase, pool, result.warmup, settleSeconds);
    Stats stats = new Stats();
    PhaseFigures figures = new PhaseFigures();
    Metrics before = bench.inlet.metrics();
    PhaseFigures.Start start = PhaseFigures.start(bench.inlet);
    try (Progress p = new Progress(label, phase.name(), stats)) {
      load(driver, phase, pool, stats, measuredSeconds);
    }
    figures.addSince(start, bench.inlet);
    figures.ledger(before, bench.inlet.metrics());
    result.measured.addMoney(stats);
    AccountBench.log(
        label,
        "%s: %,.0f fulfilled/s, p99 %.2f ms, %.1f packets per commit",
        phase.name(),
        stats.fulfilledPerSecond(),
        stats.histogram().getValueAtPercentile(99) / 1000.0,
        figures.batchedPackets / Math.max(1, figures.commits));
    return new Measured(phase, stats, figures);
  }

  /** {@code seconds} of {@code phase}'s load, open or closed loop. */
  static void load(Driver driver, Phase phase, Pool pool, Stats stats, int seconds)
      throws InterruptedException {
    long nanos = TimeUnit.SECONDS.toNanos(seconds);
    if (phase.rate() > 0) {
      driver.openLoop(pool, stats, pool.units(), nanos, phase.rate());
    } else {
      driver.closedLoop(pool, stats, pool.units(), nanos);
    }
  }
}
