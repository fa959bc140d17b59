package dev.inlet.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where Inlet's threads were, from a JFR recording: Java execution samples by top frame (method,
 * and package), and by thread (pools with numbers folded together); native samples (threads waiting
 * in I/O) by thread.
 */
final class JfrSummary {
  private final Map<String, Integer> methods = new HashMap<>();
  private final Map<String, Integer> packages = new HashMap<>();
  private final Map<String, Integer> threads = new HashMap<>();
  private final Map<String, Integer> nativeThreads = new HashMap<>();
  private int samples;
  private int nativeSamples;

  /** The samples of {@code file} taken within one of the {@code windows} ({from, to}). */
  static JfrSummary read(Path file, List<Instant[]> windows) throws IOException {
    JfrSummary s = new JfrSummary();
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        Instant at = e.getStartTime();
        if (windows.stream().noneMatch(w -> !at.isBefore(w[0]) && !at.isAfter(w[1]))) {
          continue;
        }
        String type = e.getEventType().getName();
        if (type.equals("jdk.ExecutionSample")) {
          s.execution(e);
        } else if (type.equals("jdk.NativeMethodSample")) {
          s.nativeSamples++;
          s.nativeThreads.merge(thread(e), 1, Integer::sum);
        }
      }
    }
    return s;
  }

  private void execution(RecordedEvent e) {
    samples++;
    threads.merge(thread(e), 1, Integer::sum);
    RecordedStackTrace stack = e.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      methods.merge("(no stack)", 1, Integer::sum);
      return;
    }
    RecordedFrame top = stack.getFrames().get(0);
    String typeName = top.getMethod().getType().getName();
    methods.merge(typeName + "." + top.getMethod().getName(), 1, Integer::sum);
    packages.merge(packageOf(typeName), 1, Integer::sum);
  }

  private static String thread(RecordedEvent e) {
    RecordedThread t = e.getThread("sampledThread");
    String name = t == null ? "?" : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    return name == null ? "?" : name.replaceAll("\\d+", "N");
  }

  /**
   * The first three parts of a package name ({@code io.netty.channel}), or the whole one if
   * shorter.
   */
  private static String packageOf(String type) {
    int end = type.lastIndexOf('.');
    String pkg = end < 0 ? "" : type.substring(0, end);
    String[] parts = pkg.split("\\.");
    return String.join(".", List.of(parts).subList(0, Math.min(3, parts.length)));
  }

  void print(String title, int top) {
    System.out.printf(
        "%s: %,d Java execution samples, %,d native samples%n", title, samples, nativeSamples);
    System.out.printf("  top %d frames (self time):%n", top);
    printTop(methods, samples, top);
    System.out.println("  by package (self time):");
    printTop(packages, samples, 8);
    System.out.println("  Java samples by thread:");
    printTop(threads, samples, 8);
    System.out.println("  native samples (waiting in native code, e.g. socket I/O) by thread:");
    printTop(nativeThreads, nativeSamples, 6);
  }

  private static void printTop(Map<String, Integer> counts, int total, int n) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(n)
        .forEach(
            en ->
                System.out.printf(
                    "    %5.1f%%  %6d  %s%n",
                    100.0 * en.getValue() / Math.max(1, total), en.getValue(), en.getKey()));
  }
}
