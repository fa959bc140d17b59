package dev.inlet.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the benchmark ran on: cores, memory, CPU model, JVM, and the filesystem Inlet's data goes
 * to.
 */
final class Machine {
  private Machine() {}

  static String describe(Path dataParent) {
    return String.format(
        "%d cores (%s), %s memory, %s %s (%s), %s %s; data on %s",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        memory(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        filesystem(dataParent));
  }

  /**
   * CPU ticks of the whole machine from the first line of /proc/stat: busy (not idle, iowait or
   * steal), all, and steal (time the hypervisor gave this VM's virtual CPUs to someone else).
   */
  static long[] cpuTicks() {
    List<String> stat = lines(Path.of("/proc/stat"));
    if (stat.isEmpty()) {
      return new long[] {0, 0, 0};
    }
    String[] f = stat.get(0).trim().split("\\s+");
    long all = 0;
    long idle = 0;
    long steal = 0;
    // cpu user nice system idle iowait irq softirq steal (guest time is already in user)
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      long v = Long.parseLong(f[i]);
      all += v;
      if (i == 4 || i == 5) {
        idle += v;
      } else if (i == 8) {
        steal = v;
      }
    }
    return new long[] {all - idle - steal, all, steal};
  }

  private static String cpuModel() {
    return lines(Path.of("/proc/cpuinfo")).stream()
        .filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst()
        .orElse("CPU model unknown");
  }

  private static String memory() {
    return lines(Path.of("/proc/meminfo")).stream()
        .filter(l -> l.startsWith("MemTotal:"))
        .map(
            l ->
                String.format(
                    "%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
        .findFirst()
        .orElse("unknown");
  }

  /** The mount holding {@code path}: device and type (tmpfs would make fsync free). */
  private static String filesystem(Path path) {
    String target = path.toAbsolutePath().normalize().toString();
    String best = "unknown filesystem";
    int bestLength = -1;
    for (String line : lines(Path.of("/proc/mounts"))) {
      String[] f = line.split(" ");
      if (f.length >= 3
          && (target.equals(f[1]) || target.startsWith(f[1].endsWith("/") ? f[1] : f[1] + "/"))
          && f[1].length() > bestLength) {
        bestLength = f[1].length();
        best = f[0] + " (" + f[2] + ") at " + f[1];
      }
    }
    return path + " = " + best;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }
}
