package dev.inlet.load;

import java.time.Duration;
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
