package dev.inlet.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load curve's floor ({@code --curve=sink}, issue 22): the curve's loads (open loops at 1,000,
 * 5,000, 10,000 and 20,000/s, closed loops of 32 and 512 clients) sent by the same generator to
 * {@link FloodSink}, which answers every Prepare with one fixed Reject on four epoll event loops
 * and does nothing else. Its CPU per answered request at each load is what the network path
 * (loopback TCP, epoll wake-ups, HTTP framing in Netty) costs a Java server on this machine, with
 * no decryption, no STREAM and no ledger; the ratio of a load's figure to the closed 512 clients'
 * is how much of the curve's "CPU per packet against the peak" no receiver can take away by doing
 * its own work more cheaply. Inlet stays up and idle (it made the pre-built Prepares' connections).
 */
final class SinkCurve {
  static final String label = "sink curve";

  static final int settleSeconds = 5;

  static final int measuredSeconds = 10;

  /** One measured load: the generator's figures and the sink's and generator's CPU seconds. */
  record Row(
      CurveRun.Phase phase, Stats stats, double sinkCpu, double generatorCpu, double others) {
    double perRequest(double cpuSeconds) {
      long answered = stats.fulfilled.sum() + stats.rejected();
      return answered == 0 ? Double.NaN : cpuSeconds * 1e6 / answered;
    }
  }

  private SinkCurve() {}

  static boolean run(Options options) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (AccountBench bench = AccountBench.start(options, label);
        FloodSink.Running sink = FloodSink.Running.start()) {
      bench.connect();
      try (RawIlpClient raw = new RawIlpClient(sink.port(), options.clients())) {
        Stats warmup = new Stats();
        Pool pool = bench.prebuild(options.warmupSeconds() * 60_000, options.warmupSeconds());
        new Driver(raw, options.clients())
            .closedLoop(
                pool, warmup, pool.units(), TimeUnit.SECONDS.toNanos(options.warmupSeconds()));
        AccountBench.log(label, "warm-up: %,.0f answers/s to the sink", warmup.answeredPerSecond());
        double closedGuess = Math.max(2_000, warmup.answeredPerSecond());
        for (CurveRun.Phase phase : CurveRun.phases(options)) {
          rows.add(measure(bench, options, raw, sink, phase, closedGuess));
        }
      }
    }
    print(rows);
    return true;
  }

  private static Row measure(
      AccountBench bench,
      Options options,
      RawIlpClient raw,
      FloodSink.Running sink,
      CurveRun.Phase phase,
      double closedGuess)
      throws Exception {
    Pool pool = phase.prebuild(bench, options, closedGuess, settleSeconds + measuredSeconds);
    Driver driver = new Driver(raw, phase.lines(options));
    Cpu.awaitQuiet(bench.inlet, options.waitForQuietSeconds());
    CurveRun.load(driver, phase, pool, new Stats(), settleSeconds);
    Stats stats = new Stats();
    double sink0 = cpuSeconds(sink);
    Cpu before = Cpu.read(bench.inlet);
    CurveRun.load(driver, phase, pool, stats, measuredSeconds);
    Cpu after = Cpu.read(bench.inlet);
    Cpu d = after.minus(before);
    double sinkCpu = cpuSeconds(sink) - sink0;
    double wall = (after.wallNanos() - before.wallNanos()) / 1e9;
    // Inlet (idle) and its PostgreSQL count as "others" here, beside the sink's own CPU.
    double others = Math.max(0, d.machine() - d.generator() - sinkCpu) / wall;
    Row row = new Row(phase, stats, sinkCpu, d.generator(), others);
    AccountBench.log(
        label,
        "%s: %,.0f answers/s, sink %.1f µs per request",
        phase.name(),
        stats.answeredPerSecond(),
        row.perRequest(sinkCpu));
    return row;
  }

  private static double cpuSeconds(FloodSink.Running sink) {
    return sink.process().info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
  }

  private static void print(List<Row> rows) {
    Row peak = rows.get(rows.size() - 1);
    double sinkPeak = peak.perRequest(peak.sinkCpu());
    double generatorPeak = peak.perRequest(peak.generatorCpu());
    System.out.printf(
        "%nSink curve: the generator against a server that answers every Prepare with a fixed Reject;"
            + " each load %d s unmeasured, %d s measured%n",
        settleSeconds, measuredSeconds);
    System.out.printf(
        "%-20s %12s %7s %7s %14s %10s %19s %15s %14s%n",
        "phase",
        "answers/s",
        "p50 ms",
        "p99 ms",
        "sink µs/req",
        "vs peak",
        "generator µs/req",
        "vs peak",
        "others, cores");
    for (Row r : rows) {
      double sink = r.perRequest(r.sinkCpu());
      double generator = r.perRequest(r.generatorCpu());
      System.out.printf(
          "%-20s %,12.0f %7.2f %7.2f %14.1f %9.2fx %19.1f %14.2fx %14.2f%n",
          r.phase().name(),
          r.stats().answeredPerSecond(),
          r.stats().histogram().getValueAtPercentile(50) / 1000.0,
          r.stats().histogram().getValueAtPercentile(99) / 1000.0,
          sink,
          sink / sinkPeak,
          generator,
          generator / generatorPeak,
          r.others());
    }
    System.out.println(
        "(the peak: the last row, closed loop at --clients; others: Inlet idle, its PostgreSQL and"
            + " anything else on the machine)");
  }
}
