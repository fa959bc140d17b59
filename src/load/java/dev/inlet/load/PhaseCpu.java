package dev.inlet.load;

import java.util.HashMap;
import java.util.Map;

/**
 * CPU seconds (user, system) over a phase by thread group of Inlet's JVM, by PostgreSQL process role and by thread
 * group of this generator ({@link ThreadCpu}); summed over the phase's parts.
 */
final class PhaseCpu {
  final Map<String, double[]> inlet = new HashMap<>();
  final Map<String, double[]> postgres = new HashMap<>();
  final Map<String, double[]> generator = new HashMap<>();

  /** Readings at the start of a part. */
  record Start(Map<String, double[]> inlet, Map<String, double[]> postgres, Map<String, double[]> generator) {}

  static Start start(InletProcess process) {
    return new Start(process.jvmThreadCpu(), process.postgresProcessCpu(), own());
  }

  /** Adds what each thread used since {@code start}. */
  void addSince(Start start, InletProcess process) {
    ThreadCpu.addTo(inlet, ThreadCpu.minus(process.jvmThreadCpu(), start.inlet()));
    ThreadCpu.addTo(postgres, ThreadCpu.minus(process.postgresProcessCpu(), start.postgres()));
    ThreadCpu.addTo(generator, ThreadCpu.minus(own(), start.generator()));
  }

  private static Map<String, double[]> own() {
    return ThreadCpu.threads(ProcessHandle.current().pid());
  }
}
