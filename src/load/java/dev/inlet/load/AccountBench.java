package dev.inlet.load;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One durable Inlet paying the benchmark's account, ready to load: started on a fresh embedded
 * PostgreSQL, the account created, STREAM connections opened through SPSP, and the generator's
 * clients (the raw HTTP/1.1 client, at most {@code --clients} lines). The load curve ({@link
 * CurveRun}) and the cold-start run ({@link ColdStartRun}) share it; closing it stops Inlet and
 * deletes its data (unless {@code --keep-data}).
 */
final class AccountBench implements AutoCloseable {
  final InletProcess inlet;
  final String label;

  /** Seconds from starting the process to readiness ({@code /actuator/health/readiness} 200). */
  final double readySeconds;

  /** {@link System#nanoTime} when readiness was seen. */
  final long readyNanos;

  private final Options options;
  private final Path data;
  private final Thread stopOnExit;
  private ReactorHttp http;
  private RawIlpClient raw;
  private PacketFactory factory;

  private AccountBench(
      Options options, String label, Path data, InletProcess inlet, double readySeconds) {
    this.options = options;
    this.label = label;
    this.data = data;
    this.inlet = inlet;
    this.readySeconds = readySeconds;
    this.readyNanos = System.nanoTime();
    this.stopOnExit = new Thread(inlet::close, "stop-inlet");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Starts Inlet ({@code --inlet-jar}, durable, no JFR) and waits until it is ready. */
  static AccountBench start(Options options, String label) throws Exception {
    Path data = Files.createTempDirectory("inlet-load-" + label + "-");
    log(label, "starting Inlet %s (durable) with data in %s", options.inletJar(), data);
    long t0 = System.nanoTime();
    InletProcess inlet =
        InletProcess.start(
            options.inletJar(), options.inletJvmArgs(), data, false, null, settings(options));
    AccountBench bench;
    try {
      inlet.awaitReady(Duration.ofSeconds(180));
    } catch (Exception e) {
      System.err.println("[" + label + "] Inlet log tail:\n" + inlet.logTail());
      inlet.close();
      throw e;
    }
    bench = new AccountBench(options, label, data, inlet, (System.nanoTime() - t0) / 1e9);
    log(label, "Inlet ready in %.1f s (pid %d)", bench.readySeconds, inlet.pid());
    return bench;
  }

  /**
   * The options' Inlet settings, and an idle timeout longer than any phase: a line a phase leaves
   * idle (a closed loop of 32 uses 32 of 512) is then not closed by Inlet just as the next phase
   * sends on it.
   */
  private static List<String> settings(Options options) {
    List<String> settings = new ArrayList<>(options.inletSettings());
    settings.add("--inlet.idle-timeout=10m");
    return settings;
  }

  /** Reserves the WAL as the main benchmark does (not in a cold start: a deploy has none). */
  void reserveWal() throws Exception {
    long t = System.nanoTime();
    int segments = inlet.reserveWal(LoadBenchmark.walReserveSegments);
    log(
        label,
        "WAL: %d segments of 16 MiB reserved in %.1f s (%d in pg_wal)",
        LoadBenchmark.walReserveSegments,
        (System.nanoTime() - t) / 1e9,
        segments);
  }

  /** Creates the account and opens {@code --connections} STREAM connections to it. */
  void connect() throws Exception {
    HttpResponse<String> created =
        inlet.adminPost("/admin/accounts", "{\"name\":\"" + LoadBenchmark.account + "\"}");
    if (created.statusCode() != 201) {
      throw new IllegalStateException(
          "creating the account: " + created.statusCode() + " " + created.body());
    }
    http =
        new ReactorHttp(
            inlet.port(), inlet.ilpPort(), options.clients(), InletProcess.connectorToken);
    raw = new RawIlpClient(inlet.ilpPort(), options.clients());
    long t = System.nanoTime();
    List<PacketFactory.Connection> connections =
        SpspConnections.open(
            http, options.connections(), options.clients(), List.of("/" + LoadBenchmark.account));
    factory =
        new PacketFactory(connections, List.of(), inlet.ilpPort(), InletProcess.connectorToken);
    log(
        label,
        "opened %d STREAM connections via SPSP in %.1f s",
        connections.size(),
        (System.nanoTime() - t) / 1e9);
  }

  /** A driver of at most {@code clients} requests in flight (at most {@code --clients}). */
  Driver driver(int clients) {
    return new Driver(raw, Math.min(clients, options.clients()));
  }

  /** Pre-builds {@code packets} Prepares for a phase of about {@code seconds}. */
  Pool prebuild(int packets, int seconds) {
    long t = System.nanoTime();
    int n = Math.min(packets, options.maxPrebuilt());
    // Far enough ahead to outlast the phase (Inlet rejects Prepares expiring within 1 s).
    Instant expiry =
        Instant.now().plus(Duration.ofMinutes(10)).plusSeconds(seconds).plusSeconds(n / 1_000);
    Pool pool = factory.build(n, 0, expiry);
    // Promoted now, not as a generator GC pause inside the phase (see LoadBenchmark.prebuild).
    System.gc();
    log(label, "pre-built %,d Prepares in %.1f s", pool.packets(), (System.nanoTime() - t) / 1e9);
    return pool;
  }

  @Override
  public void close() {
    if (raw != null) {
      raw.close();
    }
    if (http != null) {
      http.close();
    }
    inlet.close();
    Runtime.getRuntime().removeShutdownHook(stopOnExit);
    if (!options.keepData()) {
      LoadBenchmark.deleteTree(data);
    } else {
      log(label, "data kept in %s", data);
    }
  }

  static void log(String label, String format, Object... args) {
    LoadBenchmark.log(label, format, args);
  }
}
