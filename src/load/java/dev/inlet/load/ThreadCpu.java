package dev.inlet.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds by thread group of one process (from /proc/PID/task/TID/stat, user and system time,
 * names with their numbers folded: {@code reactor-http-epoll-N}), or by process of a PostgreSQL
 * (backend, WAL writer, ...). Covers what JFR's execution samples do not: the JIT compiler, GC and
 * time in the kernel.
 */
final class ThreadCpu {
  private static final double ticksPerSecond = clockTicks();

  private ThreadCpu() {}

  /** Thread group name to CPU seconds (user, system) of process {@code pid}. */
  static Map<String, double[]> threads(long pid) {
    Map<String, double[]> groups = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        add(groups, task.resolve("stat"), null, false);
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone
    }
    return groups;
  }

  /** The role under which the CPU of PostgreSQL processes that have ended is counted. */
  static final String exitedPostgres = "ended processes (autovacuum workers, ...)";

  /**
   * Process role to CPU seconds (user, system) of the PostgreSQL processes {@code pids}, the first
   * of them the postmaster. Processes that ran and ended between two readings, such as autovacuum
   * workers, are counted by the postmaster's reaped-children times ({@link #exitedPostgres}).
   */
  static Map<String, double[]> postgres(List<Long> pids) {
    Map<String, double[]> roles = new HashMap<>();
    for (long pid : pids) {
      String role;
      try {
        String cmd =
            Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                .replace('\0', ' ')
                .trim();
        role =
            cmd.startsWith("postgres: postgres ")
                ? "backend (client connection)"
                : cmd.startsWith("postgres: ")
                    ? cmd.substring("postgres: ".length()).replaceAll("\\d+", "N")
                    : "postmaster";
      } catch (IOException | RuntimeException e) {
        continue;
      }
      add(roles, Path.of("/proc", Long.toString(pid), "stat"), role, false);
    }
    if (!pids.isEmpty()) {
      add(roles, Path.of("/proc", Long.toString(pids.get(0)), "stat"), exitedPostgres, true);
    }
    return roles;
  }

  /** {@code after - before}, per group. */
  static Map<String, double[]> minus(Map<String, double[]> after, Map<String, double[]> before) {
    Map<String, double[]> d = new HashMap<>();
    after.forEach(
        (k, v) -> {
          double[] b = before.getOrDefault(k, new double[2]);
          d.put(k, new double[] {v[0] - b[0], v[1] - b[1]});
        });
    return d;
  }

  static void addTo(Map<String, double[]> total, Map<String, double[]> more) {
    more.forEach(
        (k, v) -> total.merge(k, v.clone(), (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]}));
  }

  /**
   * Adds the process's own times, or with {@code reaped} those of its children that ended and were
   * waited for.
   */
  private static void add(Map<String, double[]> groups, Path stat, String group, boolean reaped) {
    try {
      String s = Files.readString(stat);
      int open = s.indexOf('(');
      int close = s.lastIndexOf(')');
      String name = group != null ? group : s.substring(open + 1, close).replaceAll("\\d+$", "N");
      String[] f = s.substring(close + 2).split(" ");
      // after "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
      // utime stime
      // cutime cstime
      int at = reaped ? 13 : 11;
      double user = Long.parseLong(f[at]) / ticksPerSecond;
      double system = Long.parseLong(f[at + 1]) / ticksPerSecond;
      groups.merge(
          name, new double[] {user, system}, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    } catch (IOException | RuntimeException e) {
      // the thread or process ended
    }
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Double.parseDouble(out);
    } catch (IOException | RuntimeException | InterruptedException e) {
      return 100;
    }
  }
}
