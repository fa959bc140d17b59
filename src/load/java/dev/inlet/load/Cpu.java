package dev.inlet.load;

import java.time.Duration;
import java.util.function.Function;

/**
 * CPU seconds of Inlet's JVM, its PostgreSQL, this generator, and the whole machine (from /proc/stat: so that
 * CPU taken by anything else running on the machine shows).
 */
record Cpu(double inlet, double postgres, double generator, double machine, long busyTicks, long allTicks,
    long wallNanos) {
  static final Cpu zero = new Cpu(0, 0, 0, 0, 0, 0, 0);

  static Cpu read(InletProcess inlet) {
    Function<Duration, Double> s = d -> d.toNanos() / 1e9;
    long[] ticks = Machine.cpuTicks();
    return new Cpu(inlet == null ? 0 : s.apply(inlet.jvmCpu()), inlet == null ? 0 : s.apply(inlet.postgresCpu()),
        s.apply(ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO)), 0, ticks[0], ticks[1],
        System.nanoTime());
  }

  /** This generator and the machine only. */
  static Cpu readSelf() {
    return read(null);
  }

  /** From {@code o} to this reading. */
  Cpu minus(Cpu o) {
    double wall = (wallNanos - o.wallNanos) / 1e9;
    long all = allTicks - o.allTicks;
    int cores = Runtime.getRuntime().availableProcessors();
    double busy = all == 0 ? 0 : (double) (busyTicks - o.busyTicks) / all * cores * wall;
    return new Cpu(inlet - o.inlet, postgres - o.postgres, generator - o.generator, busy, 0, 0, 0);
  }

  Cpu plus(Cpu o) {
    return new Cpu(inlet + o.inlet, postgres + o.postgres, generator + o.generator, machine + o.machine, 0, 0, 0);
  }

  /** CPU used by other processes on the machine (not Inlet, its PostgreSQL or the generator). */
  double others() {
    return Math.max(0, machine - inlet - postgres - generator);
  }
}
