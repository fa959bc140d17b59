package dev.inlet.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's options, {@code --key=value}. Arguments may also arrive as one string with spaces
 * (Maven's {@code -Dload.args="..."}): such a string is split before each {@code --}.
 */
record Options(
    int clients,
    int connections,
    int durationSeconds,
    long packets,
    int warmupSeconds,
    double rate,
    int halfLoadSeconds,
    String halfLoadOf,
    String mode,
    int churnConnections,
    String httpClient,
    Path inletJar,
    List<String> inletJvmArgs,
    String jfr,
    int maxPrebuilt,
    boolean keepData,
    int waitForQuietSeconds,
    Path abJar,
    int abRounds,
    boolean abDashboard,
    boolean abInvoices,
    String pay,
    String webhookEvents,
    boolean eventStream,
    String send,
    int sendPayouts,
    int sendMaxInFlight,
    long sendPacketAmount,
    int sendWarmupSeconds,
    int sendUplinkMaxInFlight,
    String flood,
    String floodTo,
    int floodRounds,
    String curve,
    boolean coldStart,
    String inletWarmup) {

  static final String usage =
      """
      Inlet load benchmark: starts Inlet (durable paying the account, durable paying invoices, then non-durable,
      then durable paying out), loads it over ILP-over-HTTP, checks the ledger.
        --clients=512              concurrent requests in flight (one keep-alive HTTP connection each): enough
                                   for group commit to fill batches, as a connector's many senders do
        --connections=64           STREAM connections opened through SPSP and used round-robin
        --duration-seconds=20      length of the measured phase (split in two halves for the middle heap sample)
        --packets=N                measured phase of exactly N packets instead of a duration
        --warmup-seconds=60        unmeasured load before the measured phase (on 2 cores Inlet's JIT takes about
                                   60 s of load to settle)
        --rate=R                   open loop: offer R packets/s (latency from the intended send time);
                                   without it the load is closed loop (as fast as the clients go)
        --half-load-seconds=10     closed loop only: afterwards offer half load, open loop, 15 s unmeasured, then
                                   this long, and report its latency (0: skip)
        --half-load-of=target      target: half of the 20,000/s throughput target, 10,000/s (or half the measured
                                   throughput when that is lower); max: half the measured throughput
        --mode=both                both | durable | baseline (baseline = --inlet.unsafe-non-durable-commits=true)
        --pay=both                 the durable run's payee: both (the account, then a second durable run on a fresh
                                   Inlet paying invoices) | account | invoices. Invoices: merchant bench-merchant
                                   owns the account, one open invoice per STREAM connection, each connection
                                   opened with its invoice's SPSP query, a webhook to a receiver in this process
                                   and one live event stream (GET /v1/events). The baseline pays the account.
        --event-stream=on          the invoice run also keeps one live event stream (GET /v1/events, SSE) that
                                   takes every event, as a merchant's dashboard would; off: webhook only
        --webhook-events=invoice   the invoice run's webhook subscription: invoice (invoice.* types: what a merchant
                                   acts on) | all (payment.received too: one per connection per ledger batch)
        --send=on                  after the receiving runs, a sending run on a fresh durable Inlet: it pays out
                                   through its ILP-over-HTTP uplink to a parent connector and STREAM receiver
                                   in this process (on | off | only: the sending run alone)
        --send-payouts=64          payouts sent at once (POST /admin/payouts), each to its own SPSP receiver
        --send-max-in-flight=10    inlet.payout.max-in-flight: each payout's Prepares awaiting an answer
        --send-packet-amount=10    the connector's maximum packet amount (F08 above it): each payout's packets
        --send-warmup-seconds=30   unmeasured sending before the measured phase (--duration-seconds long)
        --send-uplink-max-in-flight=0
                                   inlet.uplink.max-in-flight; 0: twice the payouts' windows (Inlet's default,
                                   256, refuses sends beyond it unsent)
        --churn-connections=0      also open N more connections via SPSP and pay and close each (ConnectionClose)
                                   during the measured phase
        --http-client=raw          client posting the Prepares: raw (the generator's own HTTP/1.1 client on plain
                                   Netty, one event loop) | reactor (Reactor Netty's HttpClient, several times the CPU)
        --inlet-jar=PATH           the Spring Boot jar to start (the Maven profile passes target/inlet-*.jar)
        --inlet-jvm-args="-Xmx1g -XX:+UseParallelGC"
                                   JVM flags for Inlet, space separated (the collector is the image's)
        --jfr=sampling             run Inlet with a JFR recording and print where it spent its time during the
                                   measured phase: sampling (execution samples every 5 ms, nothing else), or
                                   the JDK's default or profile settings; off: no recording
        --max-prebuilt=3000000     most packets pre-built for one phase (generator memory)
        --keep-data=false          keep Inlet's temporary data directories
        --wait-for-quiet-seconds=0 before each mode and each measured phase, wait up to this long for other
                                   processes to leave the CPU idle (the benchmark warns when they do not)
        --ab-jar=PATH              A/B instead of the modes: durable runs of this baseline jar and of --inlet-jar,
                                   alternately, then each round's throughput and half-load p99 and the ratio
                                   current/baseline. A baseline that serves /ilp on its web port (before the
                                   ILP-over-HTTP listener) is detected and loaded there.
        --ab-rounds=2              A/B rounds (each: baseline, then current)
        --flood=off                on: only the flood run (FloodRun): a well-behaved sender at a fixed rate, alone
                                   and while one client floods SPSP and one sender floods /ilp past its flow
                                   rate; then each flood alone, for the CPU per refused request. spsp or ilp:
                                   the same with only that flood during the flooded phase
        --flood-to=inlet           sink: the floods hit a process of their own on this machine that refuses
                                   everything as cheaply as it can (FloodSink), while the well-behaved sender
                                   pays Inlet: the floor the floods set under the flooded p99
        --flood-rounds=4           the alone and flooded phases alternate this many times, each phase
                                   --duration-seconds / rounds long; p99s are of all rounds pooled, so that
                                   one disturbed stretch of a noisy machine weighs on both alike
        --curve=off                on: only the load curve (CurveRun): one durable Inlet paying the account, one
                                   warm-up (--warmup-seconds), then open loops at 1,000, 5,000, 10,000 and
                                   20,000/s and closed loops of 32 and 512 clients (each 15 s unmeasured, 15 s
                                   measured), then five half-load phases (10,000/s); one table. sink: the same
                                   loads against a server that answers every Prepare with a fixed Reject
                                   (SinkCurve): what the network path alone costs per request at each load
        --cold-start=off           on: only the cold-start run (ColdStartRun): a fresh durable Inlet loaded at
                                   512 clients as soon as it is ready; fulfilled/s per second for 10 s, then
                                   after 60 s more the same for a warmed 10 s, and their ratio
        --inlet-warmup=DURATION    passed to Inlet as --inlet.warmup (its self-warm-up before readiness; 0s:
                                   off); unset: Inlet's default
        --ab-dashboard=off         on: A/B of --inlet-jar alone, durable, without (baseline) and with (current) an
                                   admin dashboard open on its live page (GET /admin/ui/live/stream, SSE) for the
                                   whole run
        --ab-invoices=off          on: A/B of --inlet-jar alone, durable, paying the account (baseline) and paying
                                   invoices (current, as --pay=invoices) alternately: the invoice mode's ratio
                                   per round and over the rounds, a drift of the machine hitting both alike
      """;

  static Options parse(String[] raw) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> args = new ArrayList<>();
    for (String a : raw) {
      args.addAll(Arrays.asList(a.trim().split("\\s+(?=--)")));
    }
    for (String arg : args) {
      if (arg.isBlank()) {
        continue;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.print(usage);
        System.exit(0);
      }
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --key=value, got '" + arg + "'\n" + usage);
      }
      int eq = arg.indexOf('=');
      values.put(arg.substring(2, eq), unquote(arg.substring(eq + 1)));
    }
    Options o =
        new Options(
            integer(take(values, "clients", "512")),
            integer(take(values, "connections", "64")),
            integer(take(values, "duration-seconds", "20")),
            Long.parseLong(take(values, "packets", "0").replace("_", "")),
            integer(take(values, "warmup-seconds", "60")),
            Double.parseDouble(take(values, "rate", "0")),
            integer(take(values, "half-load-seconds", "10")),
            take(values, "half-load-of", "target"),
            take(values, "mode", "both"),
            integer(take(values, "churn-connections", "0")),
            take(values, "http-client", "raw"),
            Path.of(take(values, "inlet-jar", "target/inlet-0.1.0-SNAPSHOT.jar")),
            List.of(
                take(values, "inlet-jvm-args", "-Xmx1g -XX:+UseParallelGC").trim().split("\\s+")),
            take(values, "jfr", "sampling"),
            integer(take(values, "max-prebuilt", "3000000")),
            Boolean.parseBoolean(take(values, "keep-data", "false")),
            integer(take(values, "wait-for-quiet-seconds", "0")),
            Optional.ofNullable(values.remove("ab-jar")).map(Path::of).orElse(null),
            integer(take(values, "ab-rounds", "2")),
            take(values, "ab-dashboard", "off").equals("on"),
            take(values, "ab-invoices", "off").equals("on"),
            take(values, "pay", "both"),
            take(values, "webhook-events", "invoice"),
            !take(values, "event-stream", "on").equals("off"),
            take(values, "send", "on"),
            integer(take(values, "send-payouts", "64")),
            integer(take(values, "send-max-in-flight", "10")),
            Long.parseLong(take(values, "send-packet-amount", "10").replace("_", "")),
            integer(take(values, "send-warmup-seconds", "30")),
            integer(take(values, "send-uplink-max-in-flight", "0")),
            take(values, "flood", "off"),
            take(values, "flood-to", "inlet"),
            integer(take(values, "flood-rounds", "4")),
            take(values, "curve", "off"),
            take(values, "cold-start", "off").equals("on"),
            values.remove("inlet-warmup"));
    if (!values.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + values.keySet() + "\n" + usage);
    }
    if (!List.of("off", "on", "sink").contains(o.curve)) {
      throw new IllegalArgumentException("--curve is off, on or sink");
    }
    if (!List.of("both", "durable", "baseline").contains(o.mode)) {
      throw new IllegalArgumentException("--mode is both, durable or baseline");
    }
    if (!List.of("both", "account", "invoices").contains(o.pay)) {
      throw new IllegalArgumentException("--pay is both, account or invoices");
    }
    if (!List.of("on", "off", "only").contains(o.send)) {
      throw new IllegalArgumentException("--send is on, off or only");
    }
    if (!List.of("off", "on", "spsp", "ilp").contains(o.flood)) {
      throw new IllegalArgumentException("--flood is off, on, spsp or ilp");
    }
    if (!List.of("inlet", "sink").contains(o.floodTo)) {
      throw new IllegalArgumentException("--flood-to is inlet or sink");
    }
    if (o.floodRounds < 1 || o.floodRounds > o.durationSeconds) {
      throw new IllegalArgumentException("--flood-rounds is 1 to --duration-seconds");
    }
    if (o.sendPayouts < 1
        || o.sendMaxInFlight < 1
        || o.sendPacketAmount < 1
        || o.sendWarmupSeconds < 0
        || o.sendUplinkMaxInFlight < 0) {
      throw new IllegalArgumentException("a --send-* option is out of range\n" + usage);
    }
    if (!List.of("invoice", "all").contains(o.webhookEvents)) {
      throw new IllegalArgumentException("--webhook-events is invoice or all");
    }
    if (!List.of("target", "max").contains(o.halfLoadOf)) {
      throw new IllegalArgumentException("--half-load-of is target or max");
    }
    if (!List.of("sampling", "default", "profile", "off").contains(o.jfr)) {
      throw new IllegalArgumentException("--jfr is sampling, default, profile or off");
    }
    if (!List.of("raw", "reactor").contains(o.httpClient)) {
      throw new IllegalArgumentException("--http-client is raw or reactor");
    }
    if (o.clients < 1
        || o.connections < 1
        || o.durationSeconds < 1
        || o.warmupSeconds < 0
        || o.packets < 0
        || o.rate < 0
        || o.halfLoadSeconds < 0
        || o.churnConnections < 0
        || o.maxPrebuilt < 1000
        || o.waitForQuietSeconds < 0
        || o.abRounds < 1) {
      throw new IllegalArgumentException("an option is out of range\n" + usage);
    }
    if ((o.abDashboard || o.abInvoices) && o.abJar != null || o.abDashboard && o.abInvoices) {
      throw new IllegalArgumentException(
          "--ab-dashboard=on and --ab-invoices=on each compare --inlet-jar with itself: one of"
              + " them, no --ab-jar");
    }
    if (o.packets > o.maxPrebuilt) {
      throw new IllegalArgumentException("--packets is above --max-prebuilt " + o.maxPrebuilt);
    }
    return o;
  }

  /** Inlet settings the options add ({@code --inlet-warmup}), as {@code --inlet.x=y} arguments. */
  List<String> inletSettings() {
    return inletWarmup == null ? List.of() : List.of("--inlet.warmup=" + inletWarmup);
  }

  /**
   * The throughput target, durable fulfilled packets/s; its latency target is at half this
   * load.
   */
  static final double targetPerSecond = 20_000;

  /** The half-load phase's rate after a measured throughput of {@code measured} packets/s. */
  double halfLoadRate(double measured) {
    return halfLoadOf.equals("max") ? measured / 2 : Math.min(targetPerSecond, measured) / 2;
  }

  /** Modes to run, in order: the durable run first, then its non-durable baseline. */
  List<Boolean> nonDurableRuns() {
    return switch (mode) {
      case "durable" -> List.of(false);
      case "baseline" -> List.of(true);
      default -> List.of(false, true);
    };
  }

  /** Whether the durable runs pay the account, and whether they pay invoices. */
  boolean paysAccount() {
    return !pay.equals("invoices");
  }

  boolean paysInvoices() {
    return !pay.equals("account");
  }

  /** Whether the receiving runs are made, and whether the sending run is. */
  boolean receives() {
    return !send.equals("only");
  }

  boolean sends() {
    return !send.equals("off");
  }

  /** The sending run's target, outgoing fulfilled packets/s. */
  static final double sendTargetPerSecond = 5_000;

  /** Whether this is the flood run ({@code --flood} not off). */
  boolean floodRun() {
    return !flood.equals("off");
  }

  boolean jfrOn() {
    return !jfr.equals("off");
  }

  boolean openLoop() {
    return rate > 0;
  }

  private static String take(Map<String, String> values, String key, String fallback) {
    String v = values.remove(key);
    return v == null ? fallback : v;
  }

  private static int integer(String value) {
    return Integer.parseInt(value.replace("_", ""));
  }

  private static String unquote(String v) {
    return v.length() >= 2
            && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))
        ? v.substring(1, v.length() - 1)
        : v;
  }
}
