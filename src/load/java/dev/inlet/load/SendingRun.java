package dev.inlet.load;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sending mode ({@code --send}): Inlet pays out through its ILP-over-HTTP uplink to a {@link
 * SendReceiver} in this process, its parent connector and STREAM receiver. The account {@value
 * LoadBenchmark#account} is funded over {@code /ilp} as the account run pays it; then {@code
 * --send-payouts} payouts of an equal share of the balance start at once ({@code POST
 * /admin/payouts}, one SPSP receiver each), every Prepare recorded in the outgoing ledger before it
 * leaves and its answer after. The connector's maximum packet amount makes each payout many
 * packets. After a warm-up the measured phase counts the fulfilled packets at the receiver and
 * Inlet's {@code inlet_packets_sent_total}; then the receiver stops taking money, every payout ends
 * with "receiver-limit", and the check is that each payout's {@code sent} and {@code delivered}
 * equal what its connection received here, the account's balance is what was funded less what was
 * sent, and {@code /admin/ledger/check} passes.
 */
final class SendingRun {
  static final String label = "sending";
  private static final JsonMapper json = JsonMapper.builder().build();

  /** Prepares posted to fund the account (amounts 1–1000). */
  private static final int fundingPackets = 20_000;

  /** The outgoing Prepares' lifetime (Inlet's default, {@code inlet.payout.packet-expiry}). */
  private static final Duration packetExpiry = Duration.ofSeconds(30);

  private SendingRun() {}

  /** Settings Inlet is started with: its uplink to {@code receiver}, payouts' concurrency. */
  static List<String> inletSettings(SendReceiver receiver, Options options) {
    return List.of(
        "--inlet.uplink.url=" + receiver.ilpUrl(),
        "--inlet.uplink.token=" + SendReceiver.token,
        // Every payout's window at once, and then some: the link refuses sends beyond it.
        "--inlet.uplink.max-in-flight="
            + (options.sendUplinkMaxInFlight() > 0
                ? options.sendUplinkMaxInFlight()
                : Math.max(256, 2 * options.sendPayouts() * options.sendMaxInFlight())),
        "--inlet.spsp.allow-http=true",
        "--inlet.spsp.allow-private=true",
        "--inlet.payout.max-in-flight=" + options.sendMaxInFlight(),
        "--inlet.payout.packet-expiry=" + packetExpiry.toSeconds() + "s");
  }

  static SendReceiver receiver(Options options) throws InterruptedException {
    return new SendReceiver(options.sendPayouts(), options.sendPacketAmount(), packetExpiry);
  }

  /** The phases on a ready Inlet started with {@link #inletSettings}. */
  static void load(
      InletProcess inlet, SendReceiver receiver, Result result, Path data, Options options)
      throws Exception {
    HttpResponse<String> created =
        inlet.adminPost("/admin/accounts", "{\"name\":\"" + LoadBenchmark.account + "\"}");
    if (created.statusCode() != 201) {
      throw new IllegalStateException(
          "creating the account: " + created.statusCode() + " " + created.body());
    }
    long funded = fund(inlet, result, options);
    int n = options.sendPayouts();
    long each = funded / n;
    List<String> ids = new ArrayList<>();
    receiver.countIn(result.warmup);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          inlet.adminPost(
              "/admin/payouts",
              "{\"account\":\""
                  + LoadBenchmark.account
                  + "\",\"receiver\":\""
                  + receiver.spspUrl(i)
                  + "\",\"amount\":\""
                  + each
                  + "\"}");
      if (r.statusCode() != 202) {
        throw new IllegalStateException("POST /admin/payouts: " + r.statusCode() + " " + r.body());
      }
      ids.add(json.readTree(r.body()).get("id").asString());
    }
    LoadBenchmark.log(
        label,
        "%d payouts of %,d started in %.1f s (the connector forwards at most %,d a packet: about "
            + "%,d packets each; %d in flight each)",
        n,
        each,
        (System.nanoTime() - t0) / 1e9,
        options.sendPacketAmount(),
        each / options.sendPacketAmount(),
        options.sendMaxInFlight());

    try (Progress p = new Progress(label, "warm-up", result.warmup)) {
      long w = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(options.sendWarmupSeconds()));
      result.warmup.activeNanos += System.nanoTime() - w;
    }
    LoadBenchmark.log(
        label, "warm-up: %,.0f fulfilled/s at the receiver", result.warmup.fulfilledPerSecond());

    Metrics before = inlet.metrics();
    long commitsBefore = commits(inlet);
    PhaseFigures.Start start = PhaseFigures.start(inlet);
    Instant from = Instant.now();
    long m = System.nanoTime();
    receiver.countIn(result.measured);
    try (Progress p = new Progress(label, "measured", result.measured)) {
      Thread.sleep(TimeUnit.SECONDS.toMillis(options.durationSeconds()));
    }
    receiver.countIn(new Stats());
    result.measured.activeNanos = System.nanoTime() - m;
    result.figures.addSince(start, inlet);
    Metrics after = inlet.metrics();
    result.sending = new Result.SendingFigures();
    result.sending.sentFulfilled =
        after.sum("inlet_packets_sent_total", "result=\"fulfilled\"")
            - before.sum("inlet_packets_sent_total", "result=\"fulfilled\"");
    result.sending.databaseCommits = commits(inlet) - commitsBefore;
    StringBuilder byResult = new StringBuilder();
    for (String[] k :
        new String[][] {
          {"rejected", "F"},
          {"rejected", "T"},
          {"rejected", "R"},
          {"error", "in-doubt"},
          {"error", "not-sent"}
        }) {
      double d = sent(after, k[0], k[1]) - sent(before, k[0], k[1]);
      byResult.append(byResult.isEmpty() ? "" : ", ").append(k[0]).append(' ').append(k[1]);
      byResult.append(' ').append(String.format("%,.0f", d));
    }
    result.sending.otherResults = byResult.toString();
    result.sending.payouts = n;
    result.sending.inFlight = options.sendMaxInFlight();
    result.sending.packetAmount = options.sendPacketAmount();
    result.figures.inletP99 = Double.NaN;
    result.figures.commitP99 = Double.NaN;
    result.figures.commits = Double.NaN;
    result.figures.commitSeconds = Double.NaN;
    result.figures.batchedPackets = Double.NaN;
    result.halfFigures.commits = Double.NaN;
    result.halfFigures.commitSeconds = Double.NaN;
    result.halfFigures.batchedPackets = Double.NaN;
    List<Instant[]> windows = new ArrayList<>();
    windows.add(new Instant[] {from, Instant.now()});
    LoadBenchmark.log(
        label,
        "measured: %,.0f fulfilled/s at the receiver, %,.0f/s by inlet_packets_sent_total; "
            + "%,d TCP connections from Inlet to the connector so far",
        result.measured.fulfilledPerSecond(),
        result.sending.sentFulfilled / result.measured.seconds(),
        receiver.accepted.sum());
    if (options.jfrOn()) {
      Path jfr = data.resolve("inlet.jfr");
      inlet.jfrDump(jfr);
      result.jfr = JfrSummary.read(jfr, windows);
    }

    receiver.stop();
    check(inlet, receiver, result, ids, funded);
  }

  /** Pays the account over {@code /ilp} as the account run does; returns the amount fulfilled. */
  private static long fund(InletProcess inlet, Result result, Options options) throws Exception {
    int clients = Math.min(options.clients(), 64);
    try (ReactorHttp http =
            new ReactorHttp(inlet.port(), inlet.ilpPort(), clients, InletProcess.connectorToken);
        RawIlpClient raw = new RawIlpClient(inlet.ilpPort(), clients)) {
      List<PacketFactory.Connection> connections =
          SpspConnections.open(http, 8, clients, List.of("/" + LoadBenchmark.account));
      PacketFactory factory =
          new PacketFactory(connections, List.of(), inlet.ilpPort(), InletProcess.connectorToken);
      Pool pool = factory.build(fundingPackets, 0, Instant.now().plus(Duration.ofMinutes(10)));
      Stats stats = new Stats();
      long t = System.nanoTime();
      new Driver(raw, clients).closedLoop(pool, stats, pool.units(), TimeUnit.MINUTES.toNanos(5));
      long amount = stats.fulfilledAmount.sum();
      result.funded = BigInteger.valueOf(amount);
      if (stats.fulfilled.sum() != fundingPackets) {
        throw new IllegalStateException(
            "funding: "
                + stats.fulfilled.sum()
                + " of "
                + fundingPackets
                + " Prepares fulfilled, rejects "
                + Stats.counts(stats.rejects)
                + ", errors "
                + Stats.counts(stats.errors));
      }
      LoadBenchmark.log(
          label,
          "funded %s with %,d over /ilp (%,d Prepares in %.1f s)",
          LoadBenchmark.account,
          amount,
          fundingPackets,
          (System.nanoTime() - t) / 1e9);
      return amount;
    }
  }

  /** {@code inlet_packets_sent_total} of one result and class. */
  private static double sent(Metrics m, String result, String kind) {
    return m.samples().stream()
        .filter(
            x ->
                x.name().equals("inlet_packets_sent_total")
                    && x.labels().contains("result=\"" + result + "\"")
                    && x.labels().contains("class=\"" + kind + "\""))
        .mapToDouble(Metrics.Sample::value)
        .sum();
  }

  /** Commits of the whole database so far ({@code pg_stat_database}). */
  private static long commits(InletProcess inlet) throws Exception {
    return inlet.queryLong(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
  }

  /**
   * Waits for every payout to end, then compares each with what its connection received, the
   * balance with what was funded less what was sent, and runs the ledger check.
   */
  private static void check(
      InletProcess inlet, SendReceiver receiver, Result r, List<String> ids, long funded)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    List<JsonNode> ended = new ArrayList<>();
    for (String id : ids) {
      while (true) {
        HttpResponse<String> g = inlet.adminGet("/admin/payouts/" + id);
        JsonNode p = json.readTree(g.body());
        if (g.statusCode() == 200 && !p.get("state").asString().equals("sending")) {
          ended.add(p);
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("payout " + id + " still sending 120 s after the stop");
        }
        Thread.sleep(100);
      }
    }
    TreeMap<String, Integer> states = new TreeMap<>();
    BigInteger sent = BigInteger.ZERO;
    BigInteger received = BigInteger.ZERO;
    for (JsonNode p : ended) {
      String error = p.get("error").isNull() ? "" : p.get("error").asString();
      String slug =
          error.isEmpty() ? "" : " " + error.substring(0, Math.max(0, error.indexOf(':')));
      states.merge(p.get("state").asString() + slug, 1, Integer::sum);
      int n = SendReceiver.connectionOf(p.get("destination").asString());
      long got = n < 0 ? -1 : receiver.received(n);
      BigInteger s = new BigInteger(p.get("sent").asString());
      sent = sent.add(s);
      received = received.add(BigInteger.valueOf(Math.max(0, got)));
      if (!s.equals(BigInteger.valueOf(got))
          || !p.get("delivered").asString().equals(Long.toString(got))) {
        r.failures.add(
            "payout "
                + p.get("id").asString()
                + " sent "
                + s
                + ", delivered "
                + p.get("delivered").asString()
                + ", but its receiver got "
                + got);
      }
    }
    r.sending.states = states.toString();
    r.sending.sent = sent;
    r.sending.received = received;
    HttpResponse<String> check = inlet.adminGet("/admin/ledger/check");
    JsonNode figures = json.readTree(check.body());
    if (check.statusCode() != 200 || !figures.path("consistent").asBoolean(false)) {
      r.failures.add("ledger check " + check.statusCode() + ": " + check.body());
    }
    // Every positive entry: the funding credited to the account, and each payout's postings
    // credited to the connector's outgoing account.
    r.ledgerCredited = new BigInteger(figures.path("credited").asString("-1"));
    r.expectedCredit = r.funded.add(sent);
    if (!r.ledgerCredited.equals(r.expectedCredit)) {
      r.failures.add(
          "ledger credited "
              + r.ledgerCredited
              + " but the funding and the payouts' postings were "
              + r.expectedCredit);
    }
    HttpResponse<String> acct = inlet.adminGet("/admin/accounts/" + LoadBenchmark.account);
    r.balance = new BigInteger(json.readTree(acct.body()).path("balance").asString("-1"));
    BigInteger expected = BigInteger.valueOf(funded).subtract(sent);
    if (!r.balance.equals(expected)) {
      r.failures.add(
          "balance of "
              + LoadBenchmark.account
              + " is "
              + r.balance
              + ", expected "
              + expected
              + " (funded "
              + funded
              + " less sent "
              + sent
              + ")");
    }
    if (r.measured.fulfilled.sum() == 0) {
      r.failures.add("nothing was fulfilled in the measured phase");
    }
    LoadBenchmark.log(
        label,
        "payouts ended: %s; sent %s, the receiver got %s; balance %s; ledger check %s",
        states,
        sent,
        received,
        r.balance,
        r.passed() ? "PASS" : "FAIL: " + String.join("; ", r.failures));
  }
}
