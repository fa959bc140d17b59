package dev.inlet.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** A Node process: JSON lines on stdin and stdout, stderr to a log file under target/. */
/**
 * A Node process of the test harness ({@code target/node-harness}): JSON lines on stdin and stdout,
 * stderr to a log file under {@code target/node-harness/logs}. Closing it (or the JVM exiting)
 * stops it and its children; the scripts also exit when stdin closes.
 */
final class NodeProcess implements AutoCloseable {
  private static final Path harness = Path.of("target/node-harness");
  private static final AtomicInteger started = new AtomicInteger();

  /** Put after a process's last stdout line (compared by identity). */
  private static final String endOfOutput = new String("end of output");

  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final Path log;
  private final Thread onExit;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = process.outputWriter(StandardCharsets.UTF_8);
    this.onExit = new Thread(this::kill, "node-harness-stop");
    Runtime.getRuntime().addShutdownHook(onExit);
    Thread reader = new Thread(this::readAll, "node-harness-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess start(String name, List<String> command) throws IOException {
    Path log = harness.resolve("logs/" + name + "-" + started.incrementAndGet() + ".log");
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command).directory(harness.toFile()).redirectError(log.toFile()).start();
    return new NodeProcess(process, log);
  }

  void writeLine(String line) throws IOException {
    in.write(line + "\n");
    in.flush();
  }

  /** The next stdout line as JSON, waiting at most {@code timeout}. */
  JsonNode readLine(Duration timeout) throws IOException {
    try {
      String text = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (text == null) {
        throw new IOException("no answer from node within " + timeout + ": " + tail());
      }
      if (text == endOfOutput) {
        lines.add(endOfOutput);
        throw new IOException("node exited: " + tail());
      }
      return TestInlet.json.readTree(text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Copies stdout's lines to {@link #lines}, on a thread of its own (never a shared pool's). */
  private void readAll() {
    try {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    } catch (IOException ended) {
      // the process is gone
    } finally {
      lines.add(endOfOutput);
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private void kill() {
    try {
      in.close(); // the scripts exit when stdin closes
    } catch (IOException ignored) {
      // already gone
    }
    List<ProcessHandle> children = process.descendants().toList();
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
