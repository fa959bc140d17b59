package dev.inlet.load;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * CPU seconds of Inlet's JVM, its PostgreSQL, this generator, and the whole machine (from
 * /proc/stat: so that CPU taken by anything else running on the machine shows, and on a VM the time
 * its hypervisor took, steal).
 */
record Cpu(
    double inlet,
    double postgres,
    double generator,
    double machine,
    double steal,
    long[] ticks,
    long wallNanos) {
  static final Cpu zero = new Cpu(0, 0, 0, 0, 0, new long[3], 0);

  static Cpu read(InletProcess inlet) {
    Function<Duration, Double> s = d -> d.toNanos() / 1e9;
    return new Cpu(
        inlet == null ? 0 : s.apply(inlet.jvmCpu()),
        inlet == null ? 0 : s.apply(inlet.postgresCpu()),
        s.apply(ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO)),
        0,
        0,
        Machine.cpuTicks(),
        System.nanoTime());
  }

  /** This generator and the machine only. */
  static Cpu readSelf() {
    return read(null);
  }

  /**
   * Measures for a second what other processes (not this generator, nor Inlet and its PostgreSQL
   * when given) use of the CPU: the benchmark shares the machine with them. When they are busy it
   * waits, at most {@code maxWaitSeconds} ({@code --wait-for-quiet-seconds}), for them to calm
   * down, then says so if they have not.
   */
  static void awaitQuiet(InletProcess inlet, int maxWaitSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxWaitSeconds);
    while (true) {
      Cpu a = inlet != null ? read(inlet) : readSelf();
      Thread.sleep(1_000);
      Cpu b = inlet != null ? read(inlet) : readSelf();
      Cpu d = b.minus(a);
      double others = d.others() / ((b.wallNanos() - a.wallNanos()) / 1e9);
      if (others < 0.2) {
        return;
      }
      if (System.nanoTime() >= deadline) {
        System.out.printf(
            "WARNING: other processes use %.2f cores of %d: the figures will be lower than on a quiet "
                + "machine (see 'other processes CPU')%n",
            others, Runtime.getRuntime().availableProcessors());
        return;
      }
      Thread.sleep(4_000);
    }
  }

  /** From {@code o} to this reading. */
  Cpu minus(Cpu o) {
    double wall = (wallNanos - o.wallNanos) / 1e9;
    long all = ticks[1] - o.ticks[1];
    // Core-seconds per tick: ticks are summed over all cores.
    double scale = all == 0 ? 0 : Runtime.getRuntime().availableProcessors() * wall / all;
    return new Cpu(
        inlet - o.inlet,
        postgres - o.postgres,
        generator - o.generator,
        (ticks[0] - o.ticks[0]) * scale,
        (ticks[2] - o.ticks[2]) * scale,
        new long[3],
        0);
  }

  Cpu plus(Cpu o) {
    return new Cpu(
        inlet + o.inlet,
        postgres + o.postgres,
        generator + o.generator,
        machine + o.machine,
        steal + o.steal,
        new long[3],
        0);
  }

  /** CPU used by other processes on the machine (not Inlet, its PostgreSQL or the generator). */
  double others() {
    return Math.max(0, machine - inlet - postgres - generator);
  }
}
