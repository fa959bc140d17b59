package dev.inlet.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cold start ({@code --cold-start=on}, issue 22): how much a freshly started Inlet serves in
 * its first seconds. A durable Inlet paying the account is started (with {@code --inlet-jvm-args},
 * e.g. a CDS archive, and {@code --inlet-warmup}); as soon as it is ready the account is created,
 * the STREAM connections opened and Prepares pre-built, then {@code --clients} load it closed loop
 * for {@link #coldSeconds}; after {@link #warmSeconds} more the same is measured again, warmed. It
 * prints the fulfilled packets of each second of both (the warmed one after a checkpoint), Inlet's
 * CPU and its JIT compilers' share, and the ratio cold / warmed (the target: at least 0.5).
 * No WAL is reserved first: a deployed Inlet has none either.
 */
final class ColdStartRun {
  static final String label = "cold-start";
  static final int coldSeconds = 10;
  static final int warmSeconds = 60;

  /**
   * Pools are pre-built for this rate, above any measured peak (a closed loop takes what it can).
   */
  private static final int guessPerSecond = 60_000;

  private ColdStartRun() {}

  static boolean run(Options options) throws Exception {
    Result result = new Result(label);
    Stats cold = new Stats();
    Stats warmed = new Stats();
    PhaseFigures coldFigures = new PhaseFigures();
    PhaseFigures warmedFigures = new PhaseFigures();
    double readySeconds;
    double startedAfterReady = Double.NaN;
    try (AccountBench bench = AccountBench.start(options, label)) {
      readySeconds = bench.readySeconds;
      try {
        bench.connect();
        Pool coldPool = bench.prebuild(coldSeconds * guessPerSecond, coldSeconds);
        Driver driver = bench.driver(options.clients());
        startedAfterReady = (System.nanoTime() - bench.readyNanos) / 1e9;
        AccountBench.log(label, "load starts %.1f s after readiness", startedAfterReady);
        cold = new Stats();
        measure(bench, driver, coldPool, cold, coldFigures);
        Pool warmPool = bench.prebuild(warmSeconds * 45_000, warmSeconds);
        try (Progress p = new Progress(label, "warm-up", result.warmup)) {
          driver.closedLoop(
              warmPool, result.warmup, warmPool.units(), TimeUnit.SECONDS.toNanos(warmSeconds));
        }
        Pool warmedPool = bench.prebuild(coldSeconds * guessPerSecond, coldSeconds);
        // The warm-up's dirty pages written now, not as a stall inside the warmed phase.
        bench.inlet.checkpoint();
        warmed = new Stats();
        measure(bench, driver, warmedPool, warmed, warmedFigures);
        result.measured.addMoney(cold);
        result.measured.addMoney(warmed);
        LedgerCheck.check(bench.inlet, result);
      } catch (Exception e) {
        result.failures.add("run failed: " + e);
        System.err.println("[" + label + "] " + e + "\nInlet log tail:\n" + bench.inlet.logTail());
      }
    }
    print(options, readySeconds, startedAfterReady, cold, coldFigures, warmed, warmedFigures);
    result.failures.forEach(f -> System.out.println("FAIL [" + label + "] " + f));
    System.out.println(result.passed() ? "PASS" : "FAIL");
    return result.passed();
  }

  private static void measure(
      AccountBench bench, Driver driver, Pool pool, Stats stats, PhaseFigures figures)
      throws Exception {
    PhaseFigures.Start start = PhaseFigures.start(bench.inlet);
    driver.closedLoop(pool, stats, pool.units(), TimeUnit.SECONDS.toNanos(coldSeconds));
    figures.addSince(start, bench.inlet);
  }

  private static void print(
      Options options,
      double readySeconds,
      double startedAfterReady,
      Stats cold,
      PhaseFigures coldFigures,
      Stats warmed,
      PhaseFigures warmedFigures) {
    System.out.println();
    System.out.printf(
        "Cold start: Inlet ready %.1f s after its process started (inlet-jvm-args %s%s); load (%d"
            + " clients, closed loop) began %.1f s after readiness%n",
        readySeconds,
        String.join(" ", options.inletJvmArgs()),
        options.inletWarmup() == null ? "" : ", inlet.warmup=" + options.inletWarmup(),
        options.clients(),
        startedAfterReady);
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"second", "cold fulfilled", "warmed fulfilled", "cold / warmed"});
    for (int s = 0; s < coldSeconds; s++) {
      double c = cold.answeredInSecond(s);
      double w = warmed.answeredInSecond(s);
      rows.add(
          new String[] {
            Integer.toString(s + 1),
            String.format("%,.0f", c),
            String.format("%,.0f", w),
            w == 0 ? "-" : String.format("%.2f", c / w)
          });
    }
    double ratio = cold.fulfilledPerSecond() / Math.max(1e-9, warmed.fulfilledPerSecond());
    rows.add(
        new String[] {
          "all, per s",
          String.format("%,.0f", cold.fulfilledPerSecond()),
          String.format("%,.0f", warmed.fulfilledPerSecond()),
          String.format("%.2f", ratio)
        });
    rows.add(
        new String[] {
          "p99 ms",
          String.format("%.1f", cold.histogram().getValueAtPercentile(99) / 1000.0),
          String.format("%.1f", warmed.histogram().getValueAtPercentile(99) / 1000.0),
          ""
        });
    rows.add(cpuRow("Inlet JVM CPU, cores", coldFigures, cold, warmedFigures, warmed, false));
    rows.add(cpuRow("  of it JIT compilers", coldFigures, cold, warmedFigures, warmed, true));
    rows.add(
        new String[] {
          "PostgreSQL CPU, cores",
          String.format("%.2f", coldFigures.cpu.postgres() / Math.max(1e-9, cold.seconds())),
          String.format("%.2f", warmedFigures.cpu.postgres() / Math.max(1e-9, warmed.seconds())),
          ""
        });
    rows.add(
        new String[] {
          "other processes CPU, cores",
          String.format("%.2f", coldFigures.cpu.others() / Math.max(1e-9, cold.seconds())),
          String.format("%.2f", warmedFigures.cpu.others() / Math.max(1e-9, warmed.seconds())),
          ""
        });
    rows.add(
        new String[] {
          "rejects; errors",
          Stats.counts(cold.rejects) + "; " + Stats.counts(cold.errors),
          Stats.counts(warmed.rejects) + "; " + Stats.counts(warmed.errors),
          ""
        });
    ReportRows.table(rows);
    System.out.printf(
        "target first %d s after ready >= 50 %% of the warmed rate: %s (%.2f)%n",
        coldSeconds, ratio >= 0.5 ? "met" : "NOT met", ratio);
  }

  private static String[] cpuRow(
      String name,
      PhaseFigures coldFigures,
      Stats cold,
      PhaseFigures warmedFigures,
      Stats warmed,
      boolean compilers) {
    return new String[] {
      name,
      String.format("%.2f", cores(coldFigures, cold, compilers)),
      String.format("%.2f", cores(warmedFigures, warmed, compilers)),
      ""
    };
  }

  private static double cores(PhaseFigures f, Stats s, boolean compilers) {
    double seconds = Math.max(1e-9, s.seconds());
    if (!compilers) {
      return f.cpu.inlet() / seconds;
    }
    double jit = 0;
    for (Map.Entry<String, double[]> e : f.inletThreads.entrySet()) {
      if (e.getKey().contains("Compiler")) {
        jit += e.getValue()[0] + e.getValue()[1];
      }
    }
    return jit / seconds;
  }
}
