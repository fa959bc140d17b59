package dev.inlet.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The flood run ({@code --flood=on}, issue 21): does admission control keep serving everyone else
 * while one party is refused, and how cheaply does it refuse? On a fresh durable Inlet, a
 * well-behaved sender pays account {@code bench} open loop at {@link #goodRate}/s over {@link
 * #goodConnections} connections — a warm-up, the floods below in its first half so that their paths
 * are compiled — alone and flooded in turn ({@code --flood-rounds}), flooded meaning while one
 * client floods SPSP ({@code GET /abused} at {@link #spspFloodRate}/s, 50 times {@code
 * INLET_SPSP_RATE_PER_CLIENT}) and one sender floods {@code /ilp} on {@link #abusiveConnections}
 * connections to account {@code abused} at {@link #ilpFloodRate}/s, far past its flow rate of
 * {@link #abusedFlowRate} units/s per connection. Last, each flood alone for {@link #aloneSeconds}
 * s: Inlet's CPU (JVM and PostgreSQL) over the requests it refused is the CPU per refused request.
 * The ledger check: each account's balance is what its sender saw fulfilled.
 */
final class FloodRun {
  static final String label = "flood";
  static final double goodRate = 2_000;
  static final int goodConnections = 16;
  static final int goodClients = 64;
  static final double ilpFloodRate = 2_000;
  static final int abusiveConnections = 4;
  static final int ilpFloodClients = 32;
  static final double spspFloodRate = 1_000;
  static final int spspFloodInFlight = 64;
  static final long abusedFlowRate = 1_000;
  static final int aloneSeconds = 10;
  static final String floodingClient = "203.0.113.66";

  private FloodRun() {}

  /** The run; false when it failed or the ledger disagrees. */
  static boolean run(Options options) throws Exception {
    Path data = Files.createTempDirectory("inlet-load-flood-");
    InletProcess inlet =
        InletProcess.start(
            options.inletJar(),
            options.inletJvmArgs(),
            data,
            false,
            options.jfrOn() ? options.jfr() : null,
            // The defaults, and the flooding client told apart by the header the generator (on
            // loopback, a trusted proxy) sets.
            List.of(
                "--inlet.spsp-rate-per-client=20",
                "--inlet.spsp-burst-per-client=40",
                "--inlet.trusted-proxies=127.0.0.1"));
    Thread stopOnExit = new Thread(inlet::close, "stop-inlet");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      inlet.awaitReady(Duration.ofSeconds(180));
      inlet.reserveWal(64);
      return load(inlet, options, data);
    } catch (Exception e) {
      System.err.println("[flood] " + e + "\nInlet log tail:\n" + inlet.logTail());
      return false;
    } finally {
      inlet.close();
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
      if (options.keepData()) {
        System.out.println("[flood] kept " + data);
      } else {
        LoadBenchmark.deleteTree(data);
      }
    }
  }

  private static boolean load(InletProcess inlet, Options options, Path data) throws Exception {
    for (String name : List.of(LoadBenchmark.account, "abused")) {
      HttpResponse<String> r = inlet.adminPost("/admin/accounts", "{\"name\":\"" + name + "\"}");
      if (r.statusCode() != 201) {
        throw new IllegalStateException("account " + name + ": " + r.body());
      }
    }
    HttpResponse<String> limits =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + inlet.port() + "/admin/accounts/abused/limits"))
                    .header("Authorization", "Bearer " + InletProcess.adminToken)
                    .header("Content-Type", "application/json")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"connection_flow_rate\":\"" + abusedFlowRate + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (limits.statusCode() != 200) {
      throw new IllegalStateException("limits: " + limits.body());
    }
    int d = options.durationSeconds();
    int w = options.warmupSeconds();
    boolean toSink = options.floodTo().equals("sink");
    try (FloodSink.Running sink = toSink ? FloodSink.Running.start() : null;
        ReactorHttp http =
            new ReactorHttp(
                inlet.port(), inlet.ilpPort(), goodClients, InletProcess.connectorToken);
        RawIlpClient good = new RawIlpClient(inlet.ilpPort(), goodClients);
        RawIlpClient spspClient =
            new RawIlpClient(toSink ? sink.port() : inlet.port(), spspFloodInFlight);
        RawIlpClient bad =
            new RawIlpClient(toSink ? sink.port() : inlet.ilpPort(), ilpFloodClients)) {
      Instant expiry = Instant.now().plus(Duration.ofMinutes(10)).plusSeconds(w + 3L * d);
      Pool goodPool =
          new PacketFactory(
                  SpspConnections.open(
                      http, goodConnections, goodConnections, List.of("/" + LoadBenchmark.account)),
                  List.of(),
                  inlet.ilpPort(),
                  InletProcess.connectorToken)
              .build((int) (goodRate * (w + 2 * d) * 1.1) + goodClients, 0, expiry);
      Pool badPool =
          new PacketFactory(
                  SpspConnections.open(
                      http, abusiveConnections, abusiveConnections, List.of("/abused")),
                  List.of(),
                  inlet.ilpPort(),
                  InletProcess.connectorToken)
              .build(
                  (int) (ilpFloodRate * (d + aloneSeconds + w / 2) * 1.1) + ilpFloodClients,
                  0,
                  expiry);
      System.gc();
      Driver goodDriver = new Driver(good, goodClients);
      Driver badDriver = new Driver(bad, ilpFloodClients);
      long goodAmount = 0;
      long badAmount = 0;

      // Both floods during the warm-up's first half too: what is compared below is a service in a
      // steady state under a flood, not the JIT compiling the refusal paths in its first seconds.
      Cpu.awaitQuiet(inlet, options.waitForQuietSeconds());
      Stats warm = new Stats();
      Stats warmFlood = new Stats();
      SpspFlood warmSpsp = new SpspFlood(spspClient, inlet.port(), TimeUnit.SECONDS.toNanos(w / 2));
      Thread warmIlp =
          new Thread(
              () -> openLoop(badDriver, badPool, warmFlood, TimeUnit.SECONDS.toNanos(w / 2)),
              "ilp-flood-warm-up");
      warmIlp.start();
      warmSpsp.start();
      goodDriver.openLoop(goodPool, warm, goodPool.units(), TimeUnit.SECONDS.toNanos(w), goodRate);
      warmIlp.join();
      warmSpsp.await();
      goodAmount += warm.fulfilledAmount.sum();
      badAmount += warmFlood.fulfilledAmount.sum();
      log(
          "warm-up: %,.0f fulfilled/s over %d s, both floods in its first %d s",
          warm.fulfilledPerSecond(), w, w / 2);

      // Alone and flooded alternate in rounds, their latencies pooled: a disturbance of the machine
      // (another tenant, the disk) lands in one phase of one round, not in the whole of one side.
      int rounds = options.floodRounds();
      long phaseNanos = TimeUnit.SECONDS.toNanos(d) / rounds;
      boolean floodSpsp = !options.flood().equals("ilp");
      boolean floodIlp = !options.flood().equals("spsp");
      Stats alone = new Stats();
      Stats flooded = new Stats();
      Stats ilpFlood = new Stats();
      List<SpspFlood> spspFloods = new ArrayList<>();
      List<Instant[]> floodWindows = new ArrayList<>();
      List<String> roundRatios = new ArrayList<>();
      Cpu aloneCpu = null;
      Cpu floodedCpu = null;
      for (int r = 1; r <= rounds; r++) {
        log("alone: %.1f s, round %d of %d", phaseNanos / 1e9, r, rounds);
        Histogram alone0 = alone.histogram().copy();
        Cpu c0 = Cpu.read(inlet);
        goodDriver.openLoop(goodPool, alone, goodPool.units(), phaseNanos, goodRate);
        Cpu c1 = Cpu.read(inlet);

        log("flooded: %.1f s, round %d of %d", phaseNanos / 1e9, r, rounds);
        Histogram flooded0 = flooded.histogram().copy();
        Instant from = Instant.now();
        SpspFlood spsp = new SpspFlood(spspClient, inlet.port(), phaseNanos);
        Thread ilp =
            new Thread(() -> openLoop(badDriver, badPool, ilpFlood, phaseNanos), "ilp-flood");
        if (floodIlp) {
          ilp.start();
        }
        if (floodSpsp) {
          spsp.start();
          spspFloods.add(spsp);
        }
        goodDriver.openLoop(goodPool, flooded, goodPool.units(), phaseNanos, goodRate);
        if (floodIlp) {
          ilp.join();
        }
        if (floodSpsp) {
          spsp.await();
        }
        Cpu c2 = Cpu.read(inlet);
        floodWindows.add(new Instant[] {from, Instant.now()});
        aloneCpu = aloneCpu == null ? c1.minus(c0) : aloneCpu.plus(c1.minus(c0));
        floodedCpu = floodedCpu == null ? c2.minus(c1) : floodedCpu.plus(c2.minus(c1));
        roundRatios.add(
            String.format("%.2f", p99(since(flooded, flooded0)) / p99(since(alone, alone0))));
      }
      goodAmount += alone.fulfilledAmount.sum() + flooded.fulfilledAmount.sum();
      badAmount += ilpFlood.fulfilledAmount.sum();

      // Inlet's CPU with no load at all (its timers, PostgreSQL's background work): subtracted from
      // the floods' below, so that what remains is what refusing cost.
      Cpu i0 = Cpu.read(inlet);
      Thread.sleep(TimeUnit.SECONDS.toMillis(aloneSeconds));
      Cpu idle = Cpu.read(inlet).minus(i0);
      SpspFlood spspAlone =
          new SpspFlood(spspClient, inlet.port(), TimeUnit.SECONDS.toNanos(aloneSeconds));
      log("the SPSP flood alone: %d s", aloneSeconds);
      Cpu c3 = Cpu.read(inlet);
      Instant spspFrom = Instant.now();
      spspAlone.start();
      spspAlone.await();
      Instant spspTo = Instant.now();
      Cpu c4 = Cpu.read(inlet);
      log("the /ilp flood alone: %d s", aloneSeconds);
      Stats ilpAlone = new Stats();
      openLoop(badDriver, badPool, ilpAlone, TimeUnit.SECONDS.toNanos(aloneSeconds));
      Instant ilpTo = Instant.now();
      Cpu c5 = Cpu.read(inlet);
      if (options.jfrOn()) {
        Path jfr = data.resolve("flood.jfr");
        inlet.jfrDump(jfr);
        JfrSummary.read(jfr, floodWindows).print("JFR of Inlet, flooded", 25);
        JfrSummary.read(jfr, List.<Instant[]>of(new Instant[] {spspFrom, spspTo}))
            .print("JFR of Inlet, the SPSP flood alone", 25);
        JfrSummary.read(jfr, List.<Instant[]>of(new Instant[] {spspTo, ilpTo}))
            .print("JFR of Inlet, the /ilp flood alone", 25);
      }
      badAmount += ilpAlone.fulfilledAmount.sum();

      System.out.println();
      System.out.printf(
          "flood run (issue 21): well-behaved sender open loop at %d/s; SPSP flood at %d/s (limit 20/s,"
              + " burst 40), /ilp flood at %d/s on %d connections of %d units/s each%s%n",
          (int) goodRate,
          (int) spspFloodRate,
          (int) ilpFloodRate,
          abusiveConnections,
          abusedFlowRate,
          toSink ? "; the floods to the sink (FloodSink), not to Inlet" : "");
      row("alone", alone, aloneCpu, d);
      row("flooded", flooded, floodedCpu, d);
      System.out.printf(
          "  during the flood: SPSP flood %,d queries (%,d answered 429 sender-quota, %,d 200, %,d not sent: %d in flight); "
              + "/ilp flood %,d Prepares (%s; %,d fulfilled)%n",
          spspFloods.stream().mapToLong(SpspFlood::total).sum(),
          spspFloods.stream().mapToLong(f -> f.refused.sum()).sum(),
          spspFloods.stream().mapToLong(f -> f.ok.sum()).sum(),
          spspFloods.stream().mapToLong(f -> f.dropped.sum()).sum(),
          spspFloodInFlight,
          ilpFlood.fulfilled.sum() + ilpFlood.rejected(),
          Stats.counts(ilpFlood.rejects),
          ilpFlood.fulfilled.sum());
      double p99Alone = p99(alone);
      double p99Flooded = p99(flooded);
      System.out.printf(
          "  flooded / alone: throughput %.3f, p99 %.2f (%d rounds of %.1f s each way; by round %s)%n",
          flooded.fulfilledPerSecond() / alone.fulfilledPerSecond(),
          p99Flooded / p99Alone,
          rounds,
          phaseNanos / 1e9,
          String.join(", ", roundRatios));
      Cpu spspCpu = c4.minus(c3);
      Cpu ilpCpu = c5.minus(c4);
      if (toSink) {
        System.out.println(
            "  each flood alone went to the sink: Inlet refused nothing, no CPU per refusal");
      } else {
        printRefusalCosts(idle, spspAlone, spspCpu, ilpAlone, ilpCpu);
      }
      long benchBalance = balance(inlet, LoadBenchmark.account);
      long abusedBalance = balance(inlet, "abused");
      boolean ok = benchBalance == goodAmount && abusedBalance == badAmount;
      System.out.printf(
          "  ledger: bench %,d (fulfilled %,d), abused %,d (fulfilled %,d): %s%n",
          benchBalance, goodAmount, abusedBalance, badAmount, ok ? "agree" : "DISAGREE");
      return ok;
    }
  }

  /** Inlet's CPU per refused request of each flood alone, beyond its idle CPU. */
  private static void printRefusalCosts(
      Cpu idle, SpspFlood spspAlone, Cpu spspCpu, Stats ilpAlone, Cpu ilpCpu) {
    System.out.printf(
        "  idle: Inlet CPU %.2f s in %d s; SPSP flood alone: %,d refused of %,d in %d s; Inlet CPU %.2f s"
            + " (JVM %.2f, PostgreSQL %.2f): %.1f µs per query beyond idle%n",
        total(idle),
        aloneSeconds,
        spspAlone.refused.sum(),
        spspAlone.total(),
        aloneSeconds,
        total(spspCpu),
        spspCpu.inlet(),
        spspCpu.postgres(),
        (total(spspCpu) - total(idle)) * 1e6 / Math.max(1, spspAlone.total()));
    long refusedIlp = ilpAlone.rejects.getOrDefault("T05", new LongAdder()).sum();
    System.out.printf(
        "  /ilp flood alone: %,d refused T05 of %,d in %d s; Inlet CPU %.2f s (JVM %.2f, PostgreSQL %.2f):"
            + " %.1f µs per Prepare beyond idle%n",
        refusedIlp,
        ilpAlone.fulfilled.sum() + ilpAlone.rejected(),
        aloneSeconds,
        total(ilpCpu),
        ilpCpu.inlet(),
        ilpCpu.postgres(),
        (total(ilpCpu) - total(idle))
            * 1e6
            / Math.max(1, ilpAlone.fulfilled.sum() + ilpAlone.rejected()));
  }

  private static void openLoop(Driver driver, Pool pool, Stats stats, long nanos) {
    try {
      driver.openLoop(pool, stats, pool.units(), nanos, ilpFloodRate);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void row(String name, Stats s, Cpu cpu, int seconds) {
    Histogram h = s.histogram();
    System.out.printf(
        "  %-8s %,8.0f fulfilled/s, rejects %s, p50 %.2f p99 %.2f p99.9 %.2f max %.2f ms; Inlet CPU %.2f s "
            + "(%.0f%% of a core), generator %.2f s, other processes %.2f s%n",
        name,
        s.fulfilledPerSecond(),
        Stats.counts(s.rejects),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0,
        total(cpu),
        total(cpu) * 100 / seconds,
        cpu.generator(),
        cpu.others());
  }

  /** Inlet's CPU: its JVM and its PostgreSQL, seconds. */
  private static double total(Cpu cpu) {
    return cpu.inlet() + cpu.postgres();
  }

  private static double p99(Stats s) {
    return p99(s.histogram());
  }

  private static double p99(Histogram h) {
    return h.getValueAtPercentile(99) / 1000.0;
  }

  /** The latencies {@code s} recorded since its histogram was {@code before}. */
  private static Histogram since(Stats s, Histogram before) {
    Histogram h = s.histogram().copy();
    h.subtract(before);
    return h;
  }

  private static long balance(InletProcess inlet, String account) throws Exception {
    HttpResponse<String> r = inlet.adminGet("/admin/accounts/" + account);
    String body = r.body();
    int i = body.indexOf("\"balance\":\"") + 11;
    return Long.parseLong(body.substring(i, body.indexOf('"', i)));
  }

  private static void log(String format, Object... args) {
    LoadBenchmark.log(label, format, args);
  }
}
