package dev.inlet.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Inlet as a child process ({@code java -jar} on the Spring Boot jar) with its embedded PostgreSQL
 * in a fresh data directory, and what the benchmark reads from it: readiness, admin API, Prometheus
 * figures, CPU time (of the JVM and of the PostgreSQL processes), heap after a full GC, and a JFR
 * recording. It is given three ports: the web server's, the ILP-over-HTTP listener's ({@code
 * --inlet.ilp-port}) and the management port, where readiness and metrics are read; an older jar
 * that serves {@code /ilp} on its web server's port ignores the second, and {@link #ilpPort} then
 * says the first.
 */
final class InletProcess implements AutoCloseable {
  /** As long as Inlet asks of a token an operator sets (32 characters). */
  static final String adminToken = "load-admin-token-at-least-32-characters";

  static final String connectorToken = "load-connector-token-at-least-32-characters";
  static final String ilpAddress = "test.inlet";

  private final Process process;
  private final EmbeddedPostgresProbe postgres;
  private final int port;
  private final int ilpPort;
  private final int managementPort;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Boolean ownIlpPort;

  private InletProcess(
      Process process, Path dataDir, int port, int ilpPort, int managementPort, Path log) {
    this.process = process;
    this.postgres = new EmbeddedPostgresProbe(dataDir);
    this.port = port;
    this.ilpPort = ilpPort;
    this.managementPort = managementPort;
    this.log = log;
  }

  /**
   * @param jfrSettings JFR settings ({@code sampling}: execution samples only; or the JDK's {@code
   *     default}, {@code profile}) for a recording that runs from the start, so that turning it on
   *     cannot disturb a measured phase; null for none
   * @param inletSettings more of Inlet's settings, as {@code --inlet.x=y} arguments
   */
  static InletProcess start(
      Path jar,
      List<String> jvmArgs,
      Path dataDir,
      boolean nonDurable,
      String jfrSettings,
      List<String> inletSettings)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "No Inlet jar at " + jar.toAbsolutePath() + ": build it first (mvn package)");
    }
    int port = freePort();
    int ilpPort = freePort();
    while (ilpPort == port) {
      ilpPort = freePort();
    }
    int managementPort = freePort();
    while (managementPort == port || managementPort == ilpPort) {
      managementPort = freePort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    if (jfrSettings != null) {
      String settings = jfrSettings;
      if (settings.equals("sampling")) {
        // Only the two sampling events, Java code every 5 ms: more samples than the JDK's profile
        // settings, and
        // none of their other events.
        Path jfc = dataDir.resolve("sampling.jfc");
        Files.writeString(
            jfc,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="inlet-load sampling">
              <event name="jdk.ExecutionSample">
                <setting name="enabled">true</setting>
                <setting name="period">5 ms</setting>
              </event>
              <event name="jdk.NativeMethodSample">
                <setting name="enabled">true</setting>
                <setting name="period">20 ms</setting>
              </event>
            </configuration>
            """);
        settings = jfc.toString();
      }
      command.add("-XX:StartFlightRecording=name=inlet-load,settings=" + settings);
    }
    command.addAll(
        List.of(
            "-jar",
            jar.toAbsolutePath().toString(),
            "--server.address=127.0.0.1",
            "--server.port=" + port,
            "--inlet.ilp-port=" + ilpPort,
            "--inlet.management-port=" + managementPort,
            // Spring Boot's own name too, which an older jar without the setting above reads.
            "--management.server.port=" + managementPort,
            "--inlet.data-dir=" + dataDir,
            "--inlet.admin-token=" + adminToken,
            "--inlet.connector-token=" + connectorToken,
            "--inlet.ilp-address=" + ilpAddress));
    if (nonDurable) {
      command.add("--inlet.unsafe-non-durable-commits=true");
    }
    if (inletSettings.stream().noneMatch(s -> s.startsWith("--inlet.spsp-rate-per-client="))) {
      // The generator opens its connections from one address, faster than a client may by default.
      command.add("--inlet.spsp-rate-per-client=1000000");
      command.add("--inlet.spsp-burst-per-client=1000000");
    }
    command.addAll(inletSettings);
    Path log = dataDir.resolve("inlet.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new InletProcess(process, dataDir, port, ilpPort, managementPort, log);
  }

  /** The web server's port: SPSP, admin API. */
  int port() {
    return port;
  }

  /**
   * Where {@code POST /ilp} is served: the ILP-over-HTTP listener's port, or the web server's for a
   * jar from before that listener (nothing listens on the port it was given). Known once {@link
   * #awaitReady} has returned.
   */
  int ilpPort() {
    if (ownIlpPort == null) {
      throw new IllegalStateException("not ready yet");
    }
    return ownIlpPort ? ilpPort : port;
  }

  /** Whether {@code /ilp} has a listener of its own (a jar of the current kind). */
  boolean ownIlpPort() {
    return ilpPort() == ilpPort;
  }

  long pid() {
    return process.pid();
  }

  /** Waits until {@code /actuator/health/readiness} answers 200 on the management port. */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Inlet exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (get(managementPort, "/actuator/health/readiness", null).statusCode() == 200) {
          ownIlpPort = listening(ilpPort);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "Inlet not ready after " + timeout.toSeconds() + " s:\n" + logTail());
  }

  HttpResponse<String> adminGet(String path) throws IOException, InterruptedException {
    return get(port, path, "Bearer " + adminToken);
  }

  HttpResponse<String> adminPost(String path, String json)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(port, path))
            .header("Authorization", "Bearer " + adminToken)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The Prometheus scrape. */
  Metrics metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = get(managementPort, "/actuator/prometheus", null);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/actuator/prometheus answered " + r.statusCode());
    }
    return Metrics.parse(r.body());
  }

  /**
   * Heap used right after a full GC ({@code jcmd GC.run}), from {@code
   * jvm_memory_used_bytes{area="heap"}}.
   */
  long heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    return (long) metrics().sum("jvm_memory_used_bytes", "area=\"heap\"");
  }

  /** Writes the JFR recording started with the process to {@code file}. */
  void jfrDump(Path file) throws IOException, InterruptedException {
    jcmd("JFR.dump", "name=inlet-load", "filename=" + file);
  }

  /** CPU time of Inlet's JVM. */
  Duration jvmCpu() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * CPU time of the embedded PostgreSQL: the postmaster and its processes (backends, WAL writer,
   * ...), including those that have ended (autovacuum workers).
   */
  Duration postgresCpu() {
    double seconds = postgresProcessCpu().values().stream().mapToDouble(v -> v[0] + v[1]).sum();
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  /**
   * CPU by thread group of Inlet's JVM, and by process role of its PostgreSQL: see {@link
   * ThreadCpu}.
   */
  Map<String, double[]> jvmThreadCpu() {
    return ThreadCpu.threads(process.pid());
  }

  Map<String, double[]> postgresProcessCpu() {
    Optional<ProcessHandle> postmaster = postgres.postmaster();
    if (postmaster.isEmpty()) {
      return Map.of();
    }
    List<Long> pids = new ArrayList<>();
    pids.add(postmaster.get().pid());
    postmaster.get().descendants().forEach(h -> pids.add(h.pid()));
    return ThreadCpu.postgres(pids);
  }

  /** See {@link EmbeddedPostgresProbe#checkpoint}. */
  void checkpoint() throws SQLException, IOException {
    postgres.checkpoint();
  }

  /** See {@link EmbeddedPostgresProbe#queryLong}. */
  long queryLong(String sql) throws SQLException, IOException {
    return postgres.queryLong(sql);
  }

  /** See {@link EmbeddedPostgresProbe#counts}. */
  Map<String, Long> counts(String sql) throws SQLException, IOException {
    return postgres.counts(sql);
  }

  /** See {@link EmbeddedPostgresProbe#reserveWal}. */
  int reserveWal(int segments) throws SQLException, IOException {
    return postgres.reserveWal(segments);
  }

  /**
   * Stops Inlet with SIGTERM (graceful: it drains the ledger and stops its PostgreSQL), forcibly
   * after 60 s; a PostgreSQL left behind by a forced stop is stopped by its pid.
   */
  @Override
  public void close() {
    Optional<ProcessHandle> pg = postgres.postmaster();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      if (pg.isPresent() && pg.get().isAlive()) {
        pg.get().destroy();
        pg.get().onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      System.err.println("stopping Inlet: " + e);
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private String jcmd(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(process.pid()));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + String.join(" ", command) + " did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + text);
    }
    return text;
  }

  private HttpResponse<String> get(int port, String path, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(60)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Whether something accepts connections on {@code port} of 127.0.0.1. */
  private static boolean listening(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A free port below the kernel's ephemeral range (32768 and up on Linux): the embedded PostgreSQL
   * takes an ephemeral one while Inlet starts, and once took the very port picked here for Inlet's
   * HTTP server.
   */
  private static int freePort() throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      try (ServerSocket socket =
          new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port between 20000 and 32000");
  }
}
