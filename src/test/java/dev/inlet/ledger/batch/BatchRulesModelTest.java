package dev.inlet.ledger.batch;

import static org.junit.jupiter.api.Assertions.fail;

import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.batch.DeciderAdapter.Decided;
import dev.inlet.ledger.batch.DeciderAdapter.Written;
import dev.inlet.ledger.batch.LedgerModel.AccountRow;
import dev.inlet.ledger.batch.LedgerModel.BatchResult;
import dev.inlet.ledger.batch.LedgerModel.Change;
import dev.inlet.ledger.batch.LedgerModel.Chunk;
import dev.inlet.ledger.batch.LedgerModel.ChunkKey;
import dev.inlet.ledger.batch.LedgerModel.ConnectionRow;
import dev.inlet.ledger.batch.LedgerModel.Credit;
import dev.inlet.ledger.batch.LedgerModel.Kept;
import dev.inlet.ledger.batch.LedgerModel.Packet;
import dev.inlet.ledger.batch.LedgerModel.Share;
import dev.inlet.ledger.batch.LedgerModel.Snapshot;
import dev.inlet.ledger.batch.LedgerModel.StreamRow;
import dev.inlet.ledger.batch.LedgerModel.Verdict;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The batch rules checked against a plain reference model on random input: random scenarios —
 * accounts (some with receive limits, some already near 2^64-1), connections (some closed, some
 * near their {@code StreamData} bound), and several batches of packets aimed at the edges — are
 * decided by {@link BatchDecider} (through {@link DeciderAdapter}, the test's only contact with
 * production code) and by {@link LedgerModel}, which must agree on every packet's outcome and
 * reported stream totals, on what each batch writes, and, batch after batch, on every cumulative
 * total. Between batches the decider's writes are "committed" to {@link CommittedLedger}, which
 * applies them as {@code postgres.BatchStatement} does, and the next batch's state is read from it
 * as {@code postgres.BatchTransaction} reads it; so a write the decider forgets shows up in a later
 * batch's totals. The committed ledger is also held to the ledger's invariants (money neither made
 * nor lost between packets, connections, streams and accounts; no limit passed; no advertisement
 * shrunk; every entry balanced).
 *
 * <p>Seeded loops, not a property-testing engine. Each scenario is generated from its own seed; a
 * failure is shrunk (batches, packets and frames dropped while it still fails) and reported with
 * the scenario's seed and a replay command: {@code mvn -B -q -o test
 * -Dtest=BatchRulesModelTest#everyBatchIsDecidedAsTheReferenceModelDecidesIt
 * -Dinlet.model.seed=SEED -Dinlet.model.scenarios=1}. The main test starts from a new random seed
 * each run ({@code inlet.model.seed} fixes it); the coverage test runs fixed seeds and checks that
 * the generator reaches every outcome of the batch rules and the amount edges.
 *
 * <p>Not covered here: the {@code LedgerCache} path (the same decider on state kept in memory; its
 * stale batches are refused by the database, and batches it cannot decide — money on a closed
 * connection — are read under locks; {@code LedgerCacheTest}), expiry and database failures, the
 * SQL itself, and states the writer cannot reach (a stream holding more than its connection, a
 * connection more than its account: the generator keeps those sums).
 */
class BatchRulesModelTest {
  /** A small {@code ConnectionMaxData}, so scenarios reach it with a few short chunks. */
  static final int maxDataBytes = 64;

  static final BigInteger max = LedgerModel.maxUint64;
  static final BigInteger twoTo63 = BigInteger.ONE.shiftLeft(63);
  static final long connectorAccount = 0;
  static final long[] streamIds = {1, 3, 5, 7};

  /** Scenarios per run of the main test: a few seconds at most on a shared 2-core machine. */
  static final int defaultScenarios = 2000;

  /** Scenarios of the coverage test, from fixed seeds. */
  static final int coverageScenarios = 400;

  static final long coverageSeed = 0x1d1e7L;

  /** Runs the shrinker may spend on one failure. */
  static final int maxShrinkRuns = 3000;

  @Test
  void everyBatchIsDecidedAsTheReferenceModelDecidesIt() {
    Long fixed = Long.getLong("inlet.model.seed");
    long base = fixed != null ? fixed : new SplittableRandom().nextLong();
    int scenarios = Integer.getInteger("inlet.model.scenarios", defaultScenarios);
    runScenarios(base, scenarios, new Coverage());
  }

  @Test
  void theGeneratorReachesEveryOutcomeAndTheAmountEdges() {
    Coverage coverage = new Coverage();
    runScenarios(coverageSeed, coverageScenarios, coverage);
    List<String> missing = new ArrayList<>();
    for (Outcome o : Outcome.values()) {
      // Expiry and database failures are the writer's, not the batch rules'.
      if (o != Outcome.EXPIRED
          && o != Outcome.UNAVAILABLE
          && coverage.outcomes.getOrDefault(o, 0) < 10) {
        missing.add(o + " x" + coverage.outcomes.getOrDefault(o, 0));
      }
    }
    for (String edge : Coverage.edgeNames) {
      if (coverage.edges.getOrDefault(edge, 0) < 3) {
        missing.add(edge + " x" + coverage.edges.getOrDefault(edge, 0));
      }
    }
    if (!missing.isEmpty()) {
      fail(
          "the generator reached these too rarely: "
              + missing
              + "\noutcomes "
              + coverage.outcomes
              + "\nedges "
              + coverage.edges);
    }
  }

  private static void runScenarios(long base, int scenarios, Coverage coverage) {
    for (int i = 0; i < scenarios; i++) {
      long seed = base + i;
      Scenario scenario = Generator.scenario(new SplittableRandom(seed));
      Failure failure = run(scenario, coverage);
      if (failure != null) {
        Scenario small = shrink(scenario);
        Failure shown = Objects.requireNonNullElse(run(small, new Coverage()), failure);
        fail(
            "the decider and the reference model disagree (scenario seed "
                + seed
                + "; replay: mvn -B -q -o test"
                + " -Dtest=BatchRulesModelTest#everyBatchIsDecidedAsTheReferenceModelDecidesIt -Dinlet.model.seed="
                + seed
                + " -Dinlet.model.scenarios=1)\n"
                + shown.message
                + "\n\nshrunk scenario ("
                + small.size()
                + " packets; the seed's own has "
                + scenario.size()
                + "):\n"
                + shown.transcript);
      }
    }
  }

  // ---- running one scenario
  // ------------------------------------------------------------------------------------

  record Failure(String message, String transcript) {}

  /** Runs a scenario on the model and the decider; the first disagreement, or null. */
  static Failure run(Scenario scenario, Coverage coverage) {
    LedgerModel model = new LedgerModel(maxDataBytes);
    CommittedLedger ledger = new CommittedLedger();
    scenario.world.load(model, ledger);
    Resolver resolver = new Resolver(scenario.world, model);
    // What ran, rendered only for a failure.
    List<List<Packet>> packets = new ArrayList<>();
    List<BatchResult> expectations = new ArrayList<>();
    List<Decided> decisions = new ArrayList<>();
    try {
      check(
          model.snapshot().equals(ledger.snapshot()), () -> "the model and the ledger start apart");
      for (int b = 0; b < scenario.batches.size(); b++) {
        List<Packet> batch = new ArrayList<>();
        packets.add(batch);
        for (Intent intent : scenario.batches.get(b)) {
          Packet p = resolver.resolve(intent);
          model.apply(p);
          batch.add(p);
        }
        BatchResult expected = model.endBatch();
        expectations.add(expected);
        Snapshot before = ledger.snapshot();
        Decided decided = DeciderAdapter.decide(maxDataBytes, ledger, batch);
        decisions.add(decided);
        compareBatch(b, batch, expected, decided, ledger);
        ledger.commit(decided);
        Snapshot after = ledger.snapshot();
        compareSnapshots(b, model.snapshot(), after);
        checkInvariants(b, scenario.world, ledger, before, after, decided);
        coverage.count(batch, decided, before, after);
      }
      return null;
    } catch (AssertionError | RuntimeException e) {
      String message = e instanceof AssertionError ? e.getMessage() : "the decider threw " + e;
      return new Failure(message, transcript(scenario.world, packets, expectations, decisions));
    }
  }

  private static String transcript(
      World world,
      List<List<Packet>> packets,
      List<BatchResult> expectations,
      List<Decided> decisions) {
    StringBuilder s = new StringBuilder(world.describe());
    for (int b = 0; b < packets.size(); b++) {
      s.append("batch ").append(b).append(":\n");
      for (int i = 0; i < packets.get(b).size(); i++) {
        s.append("  ").append(i).append(": ").append(describe(packets.get(b).get(i)));
        if (b < expectations.size()) {
          s.append("\n     model   ").append(describe(expectations.get(b).verdicts().get(i)));
        }
        if (b < decisions.size() && i < decisions.get(b).verdicts().size()) {
          s.append("\n     decider ").append(describe(decisions.get(b).verdicts().get(i)));
        }
        s.append("\n");
      }
    }
    return s.toString();
  }

  private static void compareBatch(
      int b, List<Packet> batch, BatchResult expected, Decided decided, CommittedLedger ledger) {
    check(
        decided.verdicts().size() == batch.size(),
        () ->
            "batch "
                + b
                + ": "
                + decided.verdicts().size()
                + " outcomes for "
                + batch.size()
                + " packets");
    for (int i = 0; i < batch.size(); i++) {
      Verdict want = expected.verdicts().get(i);
      Verdict got = decided.verdicts().get(i);
      int n = i;
      check(
          want.equals(got),
          () ->
              "batch "
                  + b
                  + " packet "
                  + n
                  + " "
                  + describe(batch.get(n))
                  + "\n  model:   "
                  + describe(want)
                  + "\n  decider: "
                  + describe(got));
    }
    check(
        expected.credits().equals(decided.credits()),
        () ->
            "batch "
                + b
                + ": credited packets differ\n  model:   "
                + expected.credits()
                + "\n  decider: "
                + decided.credits());
    check(
        expected.accountCredits().equals(decided.accountCredits()),
        () ->
            "batch "
                + b
                + ": per-account credits differ\n  model:   "
                + expected.accountCredits()
                + "\n  decider: "
                + decided.accountCredits());
    Map<Long, BigInteger> fromPackets = new HashMap<>();
    for (Credit c : decided.credits()) {
      fromPackets.merge(c.account(), c.amount(), BigInteger::add);
    }
    check(
        fromPackets.equals(decided.accountCredits()),
        () ->
            "batch "
                + b
                + ": the per-account credits are not the sums of the credited packets: "
                + decided.accountCredits()
                + " vs "
                + fromPackets);
    check(
        expected.kept().equals(decided.kept()),
        () ->
            "batch "
                + b
                + ": StreamData kept differs\n  model:   "
                + expected.kept()
                + "\n  decider: "
                + decided.kept());
    check(
        expected.changes().keySet().equals(decided.changes().keySet()),
        () ->
            "batch "
                + b
                + ": connections changed differ: model "
                + expected.changes().keySet()
                + ", decider "
                + decided.changes().keySet());
    expected
        .changes()
        .forEach(
            (n, want) -> {
              Written got = decided.changes().get(n);
              Change seen =
                  new Change(
                      got.account(),
                      got.received(),
                      got.fulfilled(),
                      got.rejected(),
                      got.source(),
                      got.dataBytes());
              check(
                  want.equals(seen),
                  () ->
                      "batch "
                          + b
                          + ": connection "
                          + n
                          + "'s changes differ\n  model:   "
                          + want
                          + "\n  decider: "
                          + seen);
              check(
                  got.version() == ledger.version(n),
                  () ->
                      "batch "
                          + b
                          + ": connection "
                          + n
                          + " decided at version "
                          + got.version()
                          + ", stored at "
                          + ledger.version(n));
            });
    for (int n : expected.streamsChanged()) {
      check(
          decided.streams().containsKey(n),
          () -> "batch " + b + ": the streams of connection " + n + " changed but are not written");
    }
    for (BigInteger credit : decided.accountCredits().values()) {
      check(
          credit.signum() > 0 && credit.compareTo(max) <= 0,
          () -> "batch " + b + ": a credit of " + credit);
    }
  }

  private static void compareSnapshots(int b, Snapshot want, Snapshot got) {
    if (want.equals(got)) {
      return;
    }
    StringBuilder diff =
        new StringBuilder("after batch " + b + " the committed totals differ from the model's:");
    TreeSet<Long> accounts = new TreeSet<>(want.accounts().keySet());
    accounts.addAll(got.accounts().keySet());
    for (long id : accounts) {
      if (!Objects.equals(want.accounts().get(id), got.accounts().get(id))) {
        diff.append("\n  account ")
            .append(id)
            .append(": model ")
            .append(want.accounts().get(id))
            .append(", decider ")
            .append(got.accounts().get(id));
      }
    }
    TreeSet<Integer> connections = new TreeSet<>(want.connections().keySet());
    connections.addAll(got.connections().keySet());
    for (int n : connections) {
      ConnectionRow w = want.connections().get(n);
      ConnectionRow g = got.connections().get(n);
      if (w == null || g == null) {
        diff.append("\n  connection ")
            .append(n)
            .append(": model ")
            .append(w)
            .append(", decider ")
            .append(g);
      } else if (!w.equals(g)) {
        diff.append("\n  connection ").append(n).append(":");
        for (RecordComponent field : ConnectionRow.class.getRecordComponents()) {
          Object x = value(field, w);
          Object y = value(field, g);
          if (!Objects.equals(x, y)) {
            diff.append("\n    ")
                .append(field.getName())
                .append(": model ")
                .append(x)
                .append(", decider ")
                .append(y);
          }
        }
      }
    }
    throw new AssertionError(diff.toString());
  }

  private static Object value(RecordComponent field, Object row) {
    try {
      return field.getAccessor().invoke(row);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What must hold of the committed ledger whatever the rules say (the generated state starts out
   * holding it).
   */
  private static void checkInvariants(
      int b,
      World world,
      CommittedLedger ledger,
      Snapshot before,
      Snapshot after,
      Decided decided) {
    BigInteger entries = ledger.balances.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
    check(entries.signum() == 0, () -> "after batch " + b + ": the entries sum to " + entries);
    for (AccountSpec a : world.accounts()) {
      BigInteger balance = ledger.balances.getOrDefault(a.id(), BigInteger.ZERO);
      BigInteger received = after.accounts().get(a.id()).received().subtract(a.received());
      check(
          balance.equals(received),
          () ->
              "after batch "
                  + b
                  + ": account "
                  + a.id()
                  + " received "
                  + received
                  + " in the run, its entries sum to "
                  + balance);
    }
    Map<Long, BigInteger> ofAccount = new HashMap<>();
    after
        .connections()
        .forEach(
            (n, c) -> {
              ofAccount.merge(c.account(), c.received(), BigInteger::add);
              BigInteger credited =
                  c.credited().values().stream().reduce(BigInteger.ZERO, BigInteger::add);
              check(
                  credited.equals(c.received()),
                  () ->
                      "after batch "
                          + b
                          + ": connection "
                          + n
                          + " received "
                          + c.received()
                          + " but its credited packets sum to "
                          + credited);
              BigInteger inStreams =
                  c.streams().values().stream()
                      .map(StreamRow::received)
                      .reduce(BigInteger.ZERO, BigInteger::add);
              check(
                  inStreams.equals(c.received()),
                  () ->
                      "after batch "
                          + b
                          + ": connection "
                          + n
                          + " received "
                          + c.received()
                          + " but its streams hold "
                          + inStreams);
              int bytes = c.data().values().stream().mapToInt(Chunk::length).sum();
              check(
                  bytes == c.dataBytes() && bytes <= maxDataBytes,
                  () ->
                      "after batch "
                          + b
                          + ": connection "
                          + n
                          + " counts "
                          + c.dataBytes()
                          + " StreamData bytes, keeps "
                          + bytes);
              c.streams()
                  .forEach(
                      (id, s) -> {
                        check(
                            s.receiveMax().compareTo(s.received()) >= 0
                                && s.receiveMax().compareTo(max) <= 0,
                            () ->
                                "after batch "
                                    + b
                                    + ": connection "
                                    + n
                                    + " stream "
                                    + id
                                    + " "
                                    + s);
                        ConnectionRow old = before.connections().get(n);
                        StreamRow was = old == null ? null : old.streams().get(id);
                        check(
                            was == null || s.receiveMax().compareTo(was.receiveMax()) >= 0,
                            () ->
                                "after batch "
                                    + b
                                    + ": connection "
                                    + n
                                    + " stream "
                                    + id
                                    + " advertised "
                                    + was.receiveMax()
                                    + ", now less: "
                                    + s);
                        check(
                            was == null || !was.closed() || s.closed(),
                            () -> "after batch " + b + ": stream " + id + " reopened");
                      });
              ConnectionRow old = before.connections().get(n);
              check(
                  old == null || !old.closed() || c.closed(),
                  () -> "after batch " + b + ": connection " + n + " reopened");
            });
    after
        .accounts()
        .forEach(
            (id, a) -> {
              BigInteger inConnections = ofAccount.getOrDefault(id, BigInteger.ZERO);
              check(
                  a.received().compareTo(inConnections) >= 0 && a.received().compareTo(max) <= 0,
                  () ->
                      "after batch "
                          + b
                          + ": account "
                          + id
                          + " received "
                          + a.received()
                          + ", its connections "
                          + inConnections);
              BigInteger credited = decided.accountCredits().getOrDefault(id, BigInteger.ZERO);
              check(
                  credited.signum() == 0
                      || a.limit() == null
                      || a.received().compareTo(a.limit()) <= 0,
                  () ->
                      "after batch "
                          + b
                          + ": account "
                          + id
                          + " was credited "
                          + credited
                          + " past its limit: "
                          + a);
            });
  }

  static void check(boolean ok, Supplier<String> message) {
    if (!ok) {
      throw new AssertionError(message.get());
    }
  }

  // ---- shrinking
  // -----------------------------------------------------------------------------------------------

  /**
   * Drops batches, packets and frames while the scenario still fails; intents are re-resolved on
   * each run.
   */
  static Scenario shrink(Scenario failing) {
    Scenario s = failing;
    int runs = 0;
    boolean smaller = true;
    while (smaller && runs < maxShrinkRuns) {
      smaller = false;
      for (Scenario candidate : s.smaller()) {
        if (++runs > maxShrinkRuns) {
          break;
        }
        if (run(candidate, new Coverage()) != null) {
          s = candidate;
          smaller = true;
          break;
        }
      }
    }
    return s;
  }

  // ---- scenarios
  // -----------------------------------------------------------------------------------------------

  /**
   * The state before the run, and the batches as intents (resolved against the model's state when
   * applied).
   */
  record Scenario(World world, List<List<Intent>> batches) {
    int size() {
      return batches.stream().mapToInt(List::size).sum();
    }

    /**
     * Each scenario one step smaller: a batch, a packet, a packet's frames or flags, or an unused
     * connection gone.
     */
    List<Scenario> smaller() {
      List<Scenario> out = new ArrayList<>();
      for (int k = world.connections().size() - 1; k >= 0; k--) {
        int gone = k;
        if (batches.stream().flatMap(List::stream).noneMatch(i -> i.connection() == gone)) {
          out.add(withoutConnection(gone));
        }
      }
      List<AccountSpec> used =
          world.accounts().stream()
              .filter(a -> world.connections().stream().anyMatch(c -> c.account() == a.id()))
              .toList();
      if (used.size() < world.accounts().size()) {
        out.add(new Scenario(new World(used, world.connections()), batches));
      }
      for (int b = 0; b < batches.size(); b++) {
        List<List<Intent>> fewer = new ArrayList<>(batches);
        fewer.remove(b);
        out.add(new Scenario(world, fewer));
      }
      for (int b = 0; b < batches.size(); b++) {
        for (int i = 0; i < batches.get(b).size(); i++) {
          List<Intent> batch = new ArrayList<>(batches.get(b));
          Intent intent = batch.remove(i);
          out.add(with(b, batch));
          for (Intent simpler : intent.simpler()) {
            List<Intent> changed = new ArrayList<>(batches.get(b));
            changed.set(i, simpler);
            out.add(with(b, changed));
          }
        }
      }
      return out;
    }

    /** Without the connection at {@code index}, which no intent names. */
    private Scenario withoutConnection(int index) {
      List<ConnectionSpec> connections = new ArrayList<>(world.connections());
      connections.remove(index);
      List<List<Intent>> renumbered = new ArrayList<>();
      for (List<Intent> batch : batches) {
        renumbered.add(
            batch.stream()
                .map(i -> i.connection() < index ? i : i.on(i.connection() - 1))
                .toList());
      }
      return new Scenario(new World(world.accounts(), connections), renumbered);
    }

    private Scenario with(int b, List<Intent> batch) {
      List<List<Intent>> changed = new ArrayList<>(batches);
      if (batch.isEmpty()) {
        changed.remove(b);
      } else {
        changed.set(b, batch);
      }
      return new Scenario(world, changed);
    }
  }

  /** An account as stored before the run. */
  record AccountSpec(long id, BigInteger received, BigInteger limit) {}

  /** A connection packets may name: stored before the run ({@code row} not null) or new. */
  record ConnectionSpec(int number, long account, ConnectionRow row) {}

  record World(List<AccountSpec> accounts, List<ConnectionSpec> connections) {
    void load(LedgerModel model, CommittedLedger ledger) {
      for (AccountSpec a : accounts) {
        model.account(a.id(), a.received(), a.limit());
        ledger.accounts.put(a.id(), new AccountRow(a.received(), a.limit()));
      }
      for (ConnectionSpec c : connections) {
        if (c.row() != null) {
          model.connection(c.number(), c.row());
          ledger.connections.put(c.number(), c.row());
          ledger.versions.put(c.number(), 1L + c.number());
        }
      }
    }

    String describe() {
      StringBuilder s = new StringBuilder("accounts:\n");
      for (AccountSpec a : accounts) {
        s.append("  ")
            .append(a.id())
            .append(": received ")
            .append(amount(a.received()))
            .append(", limit ")
            .append(a.limit() == null ? "none" : amount(a.limit()))
            .append("\n");
      }
      s.append("connections:\n");
      for (ConnectionSpec c : connections) {
        s.append("  ")
            .append(c.number())
            .append(" of account ")
            .append(c.account())
            .append(": ")
            .append(c.row() == null ? "new" : describe(c.row()))
            .append("\n");
      }
      return s.toString();
    }

    private static String describe(ConnectionRow r) {
      StringBuilder s = new StringBuilder("received ").append(amount(r.received()));
      if (r.closed()) {
        s.append(", closed");
      }
      s.append(", streams {");
      r.streams()
          .forEach(
              (id, st) ->
                  s.append(" ")
                      .append(id)
                      .append(": ")
                      .append(amount(st.received()))
                      .append("/")
                      .append(amount(st.receiveMax()))
                      .append(st.closed() ? " closed" : ""));
      s.append(" }, credited {");
      r.credited().forEach((seq, a) -> s.append(" #").append(seq).append(": ").append(amount(a)));
      s.append(" }, data ").append(r.dataBytes()).append(" bytes [");
      r.data()
          .values()
          .forEach(
              c ->
                  s.append(" ")
                      .append(c.streamId())
                      .append("@")
                      .append(c.offset())
                      .append("+")
                      .append(c.length()));
      s.append(" ]");
      return s.toString();
    }
  }

  enum SequenceKind {
    FRESH,
    RETRY_SAME_AMOUNT,
    RETRY_OTHER_AMOUNT,
    ANY_USED,
    LOW
  }

  enum AmountKind {
    ZERO,
    ONE,
    SMALL,
    TWO_TO_63,
    MAX,
    NEAR_MAX,
    ACCOUNT_ROOM,
    PAST_ACCOUNT_ROOM,
    CONNECTION_ROOM,
    LIMIT_ROOM,
    PAST_LIMIT_ROOM,
    STREAM_ROOM
  }

  enum DataKind {
    REPEAT_KEPT,
    NEW,
    REPEAT_IN_PACKET
  }

  enum Size {
    ONE,
    SMALL,
    TO_BOUND,
    PAST_BOUND
  }

  record StreamIntent(long streamId, long weight, boolean close) {}

  record DataIntent(DataKind kind, long streamId, int pick, Size size, byte fill) {}

  /**
   * A packet as the generator drew it; amounts and sequences are aimed at the state when it is
   * applied.
   */
  record Intent(
      int connection,
      SequenceKind sequence,
      int pick,
      AmountKind amount,
      long jitter,
      boolean fulfill,
      boolean closeConnection,
      int source,
      List<StreamIntent> streams,
      List<DataIntent> data) {
    Intent on(int otherConnection) {
      return new Intent(
          otherConnection,
          sequence,
          pick,
          amount,
          jitter,
          fulfill,
          closeConnection,
          source,
          streams,
          data);
    }

    List<Intent> simpler() {
      List<Intent> out = new ArrayList<>();
      if (!data.isEmpty()) {
        out.add(
            new Intent(
                connection,
                sequence,
                pick,
                amount,
                jitter,
                fulfill,
                closeConnection,
                source,
                streams,
                List.of()));
      }
      if (streams.size() > 1) {
        out.add(
            new Intent(
                connection,
                sequence,
                pick,
                amount,
                jitter,
                fulfill,
                closeConnection,
                source,
                streams.subList(0, 1),
                data));
      }
      if (closeConnection) {
        out.add(
            new Intent(
                connection, sequence, pick, amount, jitter, fulfill, false, source, streams, data));
      }
      if (source != 0) {
        out.add(
            new Intent(
                connection,
                sequence,
                pick,
                amount,
                jitter,
                fulfill,
                closeConnection,
                0,
                streams,
                data));
      }
      if (sequence != SequenceKind.FRESH) {
        out.add(
            new Intent(
                connection,
                SequenceKind.FRESH,
                pick,
                amount,
                jitter,
                fulfill,
                closeConnection,
                source,
                streams,
                data));
      }
      return out;
    }
  }

  // ---- the generator
  // -------------------------------------------------------------------------------------------

  static final class Generator {
    private Generator() {}

    static Scenario scenario(SplittableRandom r) {
      World world = world(r);
      List<List<Intent>> batches = new ArrayList<>();
      int count = 1 + r.nextInt(5);
      for (int b = 0; b < count; b++) {
        List<Intent> batch = new ArrayList<>();
        int packets = 1 + r.nextInt(r.nextInt(4) == 0 ? 16 : 8);
        for (int i = 0; i < packets; i++) {
          batch.add(intent(r, world.connections().size()));
        }
        batches.add(batch);
      }
      return new Scenario(world, batches);
    }

    static World world(SplittableRandom r) {
      List<AccountSpec> accounts = new ArrayList<>();
      int count = 1 + r.nextInt(3);
      for (long id = 1; id <= count; id++) {
        accounts.add(account(r, id));
      }
      Map<Long, BigInteger> unallocated = new HashMap<>();
      accounts.forEach(a -> unallocated.put(a.id(), a.received()));
      List<ConnectionSpec> connections = new ArrayList<>();
      int stored = r.nextInt(4);
      int fresh = 1 + r.nextInt(3);
      for (int n = 1; n <= stored + fresh; n++) {
        AccountSpec a = accounts.get(r.nextInt(accounts.size()));
        if (n > stored) {
          connections.add(new ConnectionSpec(n, a.id(), null));
          continue;
        }
        BigInteger left = unallocated.get(a.id());
        BigInteger received =
            switch (r.nextInt(4)) {
              case 0 -> BigInteger.ZERO;
              case 1 -> left;
              case 2 ->
                  left.multiply(BigInteger.valueOf(r.nextInt(101))).divide(BigInteger.valueOf(100));
              default -> left.min(BigInteger.valueOf(1 + r.nextInt(100)));
            };
        unallocated.put(a.id(), left.subtract(received));
        connections.add(new ConnectionSpec(n, a.id(), connection(r, a, received)));
      }
      return new World(accounts, connections);
    }

    private static AccountSpec account(SplittableRandom r, long id) {
      BigInteger small = BigInteger.valueOf(r.nextInt(500));
      BigInteger jitter = BigInteger.valueOf(r.nextInt(4));
      return switch (r.nextInt(8)) {
        case 0 -> new AccountSpec(id, BigInteger.ZERO, null);
        case 1 -> new AccountSpec(id, small, small.add(BigInteger.valueOf(r.nextInt(1000))));
        case 2 -> new AccountSpec(id, max.subtract(jitter), r.nextBoolean() ? null : max);
        // Full: the limit reached exactly.
        case 3 -> new AccountSpec(id, small, small);
        // The limit lowered below what the account had already received.
        case 4 ->
            new AccountSpec(
                id,
                small.add(BigInteger.TEN),
                small.add(BigInteger.TEN).subtract(BigInteger.valueOf(1 + r.nextInt(10))));
        case 5 -> new AccountSpec(id, twoTo63.subtract(jitter), r.nextBoolean() ? null : max);
        case 6 ->
            new AccountSpec(
                id, max.subtract(BigInteger.valueOf(1000 + r.nextInt(1000))), max.subtract(jitter));
        default -> new AccountSpec(id, small, r.nextBoolean() ? null : twoTo63);
      };
    }

    private static ConnectionRow connection(
        SplittableRandom r, AccountSpec account, BigInteger received) {
      TreeMap<Long, StreamRow> streams = new TreeMap<>();
      List<Long> ids =
          distinctStreamIds(r, received.signum() > 0 ? 1 + r.nextInt(3) : r.nextInt(3));
      List<BigInteger> parts = split(r, received, ids.size());
      AccountRow a = new AccountRow(account.received(), account.limit());
      for (int i = 0; i < ids.size(); i++) {
        BigInteger got = parts.get(i);
        BigInteger receiveMax =
            switch (r.nextInt(4)) {
              case 0 -> LedgerModel.advertised(got, a);
              case 1 -> got;
              case 2 -> max;
              default -> got.add(BigInteger.valueOf(r.nextInt(1000))).min(max);
            };
        streams.put(ids.get(i), new StreamRow(got, receiveMax, r.nextInt(4) == 0));
      }
      TreeMap<Long, BigInteger> credited = new TreeMap<>();
      long sequence = 1;
      for (BigInteger amount : split(r, received, 1 + r.nextInt(3))) {
        if (amount.signum() > 0) {
          credited.put(sequence++, amount);
        }
      }
      TreeMap<ChunkKey, Chunk> data = new TreeMap<>();
      switch (r.nextInt(4)) {
        case 0 -> {
          int length = maxDataBytes - r.nextInt(3);
          Chunk c = new Chunk(1, 0, length, (byte) r.nextInt(256));
          data.put(c.key(), c);
        }
        case 1 -> {
          for (long id : distinctStreamIds(r, 1 + r.nextInt(2))) {
            Chunk c = new Chunk(id, 0, 1 + r.nextInt(8), (byte) r.nextInt(256));
            data.put(c.key(), c);
          }
        }
        default -> {}
      }
      int bytes = data.values().stream().mapToInt(Chunk::length).sum();
      return new ConnectionRow(
          account.id(),
          received,
          credited.size() + r.nextInt(3),
          r.nextInt(3),
          r.nextInt(8) == 0,
          bytes,
          r.nextBoolean() ? null : "g.sender.0",
          streams,
          credited,
          data);
    }

    private static List<Long> distinctStreamIds(SplittableRandom r, int count) {
      TreeSet<Long> ids = new TreeSet<>();
      while (ids.size() < count) {
        ids.add(streamIds[r.nextInt(streamIds.length)]);
      }
      return new ArrayList<>(ids);
    }

    /** {@code total} in {@code count} parts that add up to it exactly (some may be zero). */
    private static List<BigInteger> split(SplittableRandom r, BigInteger total, int count) {
      List<BigInteger> parts = new ArrayList<>();
      if (count == 0) {
        return parts;
      }
      long[] weights = new long[count];
      for (int i = 0; i < count; i++) {
        weights[i] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(100);
      }
      weights[0] = Math.max(weights[0], 1);
      return Resolver.split(total, weights);
    }

    /** One byte, a few, up to the bound exactly, one past it. */
    static final int[] sizeWeights = {4, 8, 3, 2};

    /**
     * How often each amount kind is drawn: ordinary amounts most, each edge often enough to be met.
     */
    static final int[] amountWeights = {8, 8, 20, 5, 5, 5, 8, 5, 5, 12, 8, 5};

    static <T> T pick(SplittableRandom r, int[] weights, T[] values) {
      int roll = r.nextInt(Arrays.stream(weights).sum());
      for (int i = 0; ; i++) {
        roll -= weights[i];
        if (roll < 0) {
          return values[i];
        }
      }
    }

    static Intent intent(SplittableRandom r, int connections) {
      int roll = r.nextInt(100);
      SequenceKind sequence =
          roll < 55
              ? SequenceKind.FRESH
              : roll < 72
                  ? SequenceKind.RETRY_SAME_AMOUNT
                  : roll < 82
                      ? SequenceKind.RETRY_OTHER_AMOUNT
                      : roll < 92 ? SequenceKind.ANY_USED : SequenceKind.LOW;
      AmountKind amount = pick(r, amountWeights, AmountKind.values());
      long jitter = r.nextInt(3) == 0 ? 1 + r.nextInt(1000) : r.nextInt(3);
      List<StreamIntent> streams = new ArrayList<>();
      int streamCount = new int[] {0, 1, 1, 1, 1, 1, 2, 2, 3}[r.nextInt(9)];
      for (int i = 0; i < streamCount; i++) {
        long weight =
            r.nextInt(6) == 0
                ? 0
                : r.nextInt(8) == 0 ? Long.MAX_VALUE - r.nextInt(3) : 1 + r.nextInt(5);
        streams.add(
            new StreamIntent(streamIds[r.nextInt(streamIds.length)], weight, r.nextInt(6) == 0));
      }
      List<DataIntent> data = new ArrayList<>();
      int dataCount = new int[] {0, 0, 0, 0, 0, 1, 1, 1, 2}[r.nextInt(9)];
      for (int i = 0; i < dataCount; i++) {
        int kind = r.nextInt(20);
        data.add(
            new DataIntent(
                kind < 6
                    ? DataKind.REPEAT_KEPT
                    : kind < 18 ? DataKind.NEW : DataKind.REPEAT_IN_PACKET,
                streamIds[r.nextInt(streamIds.length)],
                r.nextInt(1000),
                pick(r, sizeWeights, Size.values()),
                (byte) r.nextInt(256)));
      }
      return new Intent(
          r.nextInt(connections),
          sequence,
          r.nextInt(1000),
          amount,
          jitter,
          r.nextInt(9) != 0,
          r.nextInt(30) == 0,
          r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0,
          streams,
          data);
    }
  }

  /** Turns intents into packets against the model's state at the time each is applied. */
  static final class Resolver {
    private final World world;
    private final LedgerModel model;
    private final Map<Integer, Long> nextSequence = new HashMap<>();
    private final Map<Integer, List<Long>> used = new HashMap<>();
    private final Map<Integer, Long> nextOffset = new HashMap<>();

    Resolver(World world, LedgerModel model) {
      this.world = world;
      this.model = model;
      for (ConnectionSpec c : world.connections()) {
        long last =
            c.row() == null || c.row().credited().isEmpty() ? 0 : c.row().credited().lastKey();
        nextSequence.put(c.number(), last + 1);
        used.put(
            c.number(), new ArrayList<>(c.row() == null ? List.of() : c.row().credited().keySet()));
        nextOffset.put(c.number(), 100L);
      }
    }

    Packet resolve(Intent intent) {
      ConnectionSpec c = world.connections().get(intent.connection());
      int n = c.number();
      long account = c.account();
      TreeMap<Long, long[]> weights = new TreeMap<>();
      TreeMap<Long, Boolean> closes = new TreeMap<>();
      for (StreamIntent s : intent.streams()) {
        long[] w = weights.computeIfAbsent(s.streamId(), id -> new long[1]);
        w[0] = w[0] + s.weight() < 0 ? Long.MAX_VALUE : w[0] + s.weight();
        closes.merge(s.streamId(), s.close(), Boolean::logicalOr);
      }
      BigInteger amount = amount(intent, n, account, weights.isEmpty() ? 1 : weights.firstKey());
      long sequence;
      Map<Long, BigInteger> credited = model.credited(n);
      List<Long> creditedSequences = new ArrayList<>(credited.keySet());
      switch (intent.sequence()) {
        case RETRY_SAME_AMOUNT, RETRY_OTHER_AMOUNT -> {
          if (creditedSequences.isEmpty()) {
            sequence = fresh(n);
          } else {
            sequence = creditedSequences.get(intent.pick() % creditedSequences.size());
            BigInteger was = credited.get(sequence);
            if (intent.sequence() == SequenceKind.RETRY_SAME_AMOUNT) {
              amount = was;
            } else if (amount.equals(was)) {
              amount = was.equals(max) ? was.subtract(BigInteger.ONE) : was.add(BigInteger.ONE);
            }
          }
        }
        case ANY_USED -> {
          List<Long> seen = used.get(n);
          sequence = seen.isEmpty() ? fresh(n) : seen.get(intent.pick() % seen.size());
        }
        case LOW -> sequence = 1 + intent.pick() % 3;
        default -> sequence = fresh(n);
      }
      used.get(n).add(sequence);
      nextSequence.merge(n, sequence + 1, Math::max);
      // Money needs a stream with shares (the receiver declines it otherwise, before the ledger).
      if (amount.signum() > 0 && weights.values().stream().allMatch(w -> w[0] == 0)) {
        if (weights.isEmpty()) {
          weights.put(1L, new long[1]);
          closes.put(1L, false);
        }
        weights.firstEntry().getValue()[0] = 1;
      }
      long[] w = weights.values().stream().mapToLong(x -> x[0]).toArray();
      List<BigInteger> parts = amount.signum() == 0 ? new ArrayList<>() : split(amount, w);
      List<Share> shares = new ArrayList<>();
      int i = 0;
      for (long id : weights.keySet()) {
        shares.add(new Share(id, parts.isEmpty() ? BigInteger.ZERO : parts.get(i), closes.get(id)));
        i++;
      }
      String source = intent.source() == 0 ? null : "g.sender." + intent.source();
      return new Packet(
          n,
          account,
          source,
          sequence,
          amount,
          intent.fulfill(),
          intent.closeConnection(),
          List.copyOf(shares),
          data(intent, n));
    }

    private long fresh(int n) {
      return nextSequence.get(n);
    }

    private BigInteger amount(Intent intent, int n, long account, long firstStream) {
      BigInteger jitter = BigInteger.valueOf(intent.jitter());
      BigInteger received = model.accountReceived(account);
      BigInteger limit = model.accountLimit(account);
      BigInteger limitRoom = limit == null ? null : limit.subtract(received);
      BigInteger a =
          switch (intent.amount()) {
            case ZERO -> BigInteger.ZERO;
            case ONE -> BigInteger.ONE;
            case SMALL -> BigInteger.ONE.add(jitter);
            case TWO_TO_63 -> twoTo63;
            case MAX -> max;
            case NEAR_MAX -> max.subtract(jitter);
            case ACCOUNT_ROOM -> max.subtract(received);
            case PAST_ACCOUNT_ROOM -> max.subtract(received).add(BigInteger.ONE);
            case CONNECTION_ROOM -> max.subtract(model.connectionReceived(n));
            case LIMIT_ROOM -> limitRoom == null ? BigInteger.ONE.add(jitter) : limitRoom;
            case PAST_LIMIT_ROOM ->
                limitRoom == null ? max.subtract(jitter) : limitRoom.add(BigInteger.ONE);
            case STREAM_ROOM -> max.subtract(model.streamReceived(n, firstStream));
          };
      return a.max(BigInteger.ZERO).min(max);
    }

    private List<Chunk> data(Intent intent, int n) {
      List<Chunk> chunks = new ArrayList<>();
      int pending = 0;
      for (DataIntent d : intent.data()) {
        List<Chunk> kept = model.kept(n);
        if (d.kind() == DataKind.REPEAT_KEPT && !kept.isEmpty()) {
          chunks.add(kept.get(d.pick() % kept.size()));
        } else if (d.kind() == DataKind.REPEAT_IN_PACKET && !chunks.isEmpty()) {
          chunks.add(chunks.get(chunks.size() - 1));
        } else {
          int room = maxDataBytes - model.dataBytes(n) - pending;
          int length =
              switch (d.size()) {
                case ONE -> 1;
                case SMALL -> 1 + d.pick() % 8;
                case TO_BOUND -> Math.max(1, room);
                case PAST_BOUND -> Math.max(1, room + 1);
              };
          long offset = nextOffset.merge(n, 100L, Long::sum);
          chunks.add(new Chunk(d.streamId(), offset, length, d.fill()));
          pending += length;
        }
      }
      return List.copyOf(chunks);
    }

    /**
     * {@code total} in parts proportional to {@code weights}, rounded down, the rest to the first
     * with weight.
     */
    static List<BigInteger> split(BigInteger total, long[] weights) {
      BigInteger sum = BigInteger.ZERO;
      for (long w : weights) {
        sum = sum.add(BigInteger.valueOf(w));
      }
      List<BigInteger> parts = new ArrayList<>();
      BigInteger given = BigInteger.ZERO;
      int first = -1;
      for (int i = 0; i < weights.length; i++) {
        BigInteger part = total.multiply(BigInteger.valueOf(weights[i])).divide(sum);
        parts.add(part);
        given = given.add(part);
        if (first < 0 && weights[i] != 0) {
          first = i;
        }
      }
      parts.set(first, parts.get(first).add(total.subtract(given)));
      return parts;
    }
  }

  // ---- the committed ledger
  // ------------------------------------------------------------------------------------

  /**
   * What the database would hold: the decider's writes applied as {@code postgres.BatchStatement}
   * applies them (totals added, counts added, closed once closed, the streams replaced whole,
   * credited packets and kept chunks inserted, each written connection one version on), and read
   * back by {@link DeciderAdapter} for the next batch.
   */
  static final class CommittedLedger {
    final TreeMap<Long, AccountRow> accounts = new TreeMap<>();

    /**
     * Each account's balance: the sum of its entries since the run began (the connector's account
     * too).
     */
    final Map<Long, BigInteger> balances = new HashMap<>();

    final TreeMap<Integer, ConnectionRow> connections = new TreeMap<>();
    final Map<Integer, Long> versions = new HashMap<>();

    AccountRow account(long id) {
      return Objects.requireNonNull(accounts.get(id), "no account " + id);
    }

    /** The stored connection, or null when it is new. */
    ConnectionRow connection(int number) {
      return connections.get(number);
    }

    long version(int number) {
      return versions.getOrDefault(number, 0L);
    }

    void commit(Decided d) {
      d.accountCredits()
          .forEach(
              (id, credit) -> {
                AccountRow a = account(id);
                accounts.put(id, new AccountRow(a.received().add(credit), a.limit()));
                // Double entry, as BatchStatement posts it: the account credited, the connector's
                // account debited.
                balances.merge(id, credit, BigInteger::add);
                balances.merge(connectorAccount, credit.negate(), BigInteger::add);
              });
      d.changes()
          .forEach(
              (n, w) -> {
                ConnectionRow old = connections.get(n);
                TreeMap<Long, StreamRow> streams =
                    d.streams().containsKey(n)
                        ? new TreeMap<>(d.streams().get(n))
                        : old == null ? new TreeMap<>() : new TreeMap<>(old.streams());
                TreeMap<Long, BigInteger> credited =
                    old == null ? new TreeMap<>() : new TreeMap<>(old.credited());
                TreeMap<ChunkKey, Chunk> data =
                    old == null ? new TreeMap<>() : new TreeMap<>(old.data());
                connections.put(
                    n,
                    old == null
                        ? new ConnectionRow(
                            w.account(),
                            w.received(),
                            w.fulfilled(),
                            w.rejected(),
                            w.closes(),
                            w.dataBytes(),
                            w.source(),
                            streams,
                            credited,
                            data)
                        : new ConnectionRow(
                            old.account(),
                            old.received().add(w.received()),
                            old.fulfilled() + w.fulfilled(),
                            old.rejected() + w.rejected(),
                            old.closed() || w.closes(),
                            old.dataBytes() + w.dataBytes(),
                            w.source() != null ? w.source() : old.source(),
                            streams,
                            credited,
                            data));
                versions.put(n, version(n) + 1);
              });
      for (Credit c : d.credits()) {
        ConnectionRow row =
            Objects.requireNonNull(
                connections.get(c.connection()), "credit of an unwritten connection");
        // The packets table's primary key: a sequence is credited once.
        check(
            row.credited().put(c.sequence(), c.amount()) == null,
            () -> "packet " + c + " credited twice");
      }
      for (Kept k : d.kept()) {
        ConnectionRow row =
            Objects.requireNonNull(
                connections.get(k.connection()), "data of an unwritten connection");
        row.data().putIfAbsent(k.chunk().key(), k.chunk());
      }
    }

    Snapshot snapshot() {
      TreeMap<Integer, ConnectionRow> copy = new TreeMap<>();
      connections.forEach(
          (n, c) ->
              copy.put(
                  n,
                  new ConnectionRow(
                      c.account(),
                      c.received(),
                      c.fulfilled(),
                      c.rejected(),
                      c.closed(),
                      c.dataBytes(),
                      c.source(),
                      new TreeMap<>(c.streams()),
                      new TreeMap<>(c.credited()),
                      new TreeMap<>(c.data()))));
      return new Snapshot(new TreeMap<>(accounts), copy);
    }
  }

  // ---- coverage
  // ------------------------------------------------------------------------------------------------

  /** How often the decider's outcomes and the amount edges came up. */
  static final class Coverage {
    static final List<String> edgeNames =
        List.of(
            "credit of 2^64-1",
            "credit of 2^63",
            "account reaches 2^64-1",
            "account reaches its limit exactly",
            "stream reaches 2^64-1",
            "duplicate from an earlier batch",
            "duplicate in the same batch",
            "duplicate on a closed connection",
            "zero amount fulfilled",
            "zero amount on a credited sequence fulfilled",
            "StreamData reaches the bound exactly",
            "money to a closed stream refused",
            "connection closed by a fulfilled packet");
    final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    final Map<String, Integer> edges = new HashMap<>();

    void count(List<Packet> batch, Decided d, Snapshot before, Snapshot after) {
      Map<Integer, Set<Long>> creditedHere = new HashMap<>();
      // Connections closed when the packet came: before the batch, or by an earlier packet of it.
      Set<Integer> closed = new HashSet<>();
      before
          .connections()
          .forEach(
              (n, c) -> {
                if (c.closed()) {
                  closed.add(n);
                }
              });
      for (int i = 0; i < batch.size(); i++) {
        Packet p = batch.get(i);
        Outcome o = d.verdicts().get(i).outcome();
        outcomes.merge(o, 1, Integer::sum);
        if (o == Outcome.FULFILLED && p.amount().signum() > 0) {
          creditedHere.computeIfAbsent(p.connection(), n -> new HashSet<>()).add(p.sequence());
          if (p.amount().equals(max)) {
            edge("credit of 2^64-1");
          }
          if (p.amount().equals(twoTo63)) {
            edge("credit of 2^63");
          }
        }
        if (o == Outcome.FULFILLED && p.amount().signum() == 0) {
          edge("zero amount fulfilled");
          if (before.connections().containsKey(p.connection())
                  && before.connections().get(p.connection()).credited().containsKey(p.sequence())
              || creditedHere.getOrDefault(p.connection(), Set.of()).contains(p.sequence())) {
            edge("zero amount on a credited sequence fulfilled");
          }
        }
        if (o == Outcome.FULFILLED && p.closeConnection()) {
          edge("connection closed by a fulfilled packet");
        }
        if (o == Outcome.STREAM_CLOSED) {
          edge("money to a closed stream refused");
        }
        if (o == Outcome.DUPLICATE) {
          boolean here = creditedHere.getOrDefault(p.connection(), Set.of()).contains(p.sequence());
          edge(here ? "duplicate in the same batch" : "duplicate from an earlier batch");
          if (closed.contains(p.connection())) {
            edge("duplicate on a closed connection");
          }
        }
        if ((p.closeConnection() && o != Outcome.DUPLICATE) || o == Outcome.DATA_LIMIT) {
          closed.add(p.connection());
        }
      }
      for (long id : d.accountCredits().keySet()) {
        AccountRow a = after.accounts().get(id);
        if (a.received().equals(max)) {
          edge("account reaches 2^64-1");
        }
        if (a.received().equals(a.limit())) {
          edge("account reaches its limit exactly");
        }
      }
      d.streams()
          .forEach(
              (n, streams) ->
                  streams
                      .values()
                      .forEach(
                          s -> {
                            if (s.received().equals(max)) {
                              edge("stream reaches 2^64-1");
                            }
                          }));
      d.changes()
          .forEach(
              (n, w) -> {
                if (w.dataBytes() > 0 && after.connections().get(n).dataBytes() == maxDataBytes) {
                  edge("StreamData reaches the bound exactly");
                }
              });
    }

    private void edge(String name) {
      edges.merge(name, 1, Integer::sum);
    }
  }

  // ---- descriptions
  // --------------------------------------------------------------------------------------------

  static String amount(BigInteger a) {
    if (a.equals(max)) {
      return "2^64-1";
    }
    if (max.subtract(a).compareTo(BigInteger.valueOf(1_000_000)) < 0) {
      return "2^64-1-" + max.subtract(a);
    }
    if (a.subtract(twoTo63).abs().compareTo(BigInteger.valueOf(1_000_000)) < 0) {
      BigInteger d = a.subtract(twoTo63);
      return "2^63" + (d.signum() == 0 ? "" : d.signum() > 0 ? "+" + d : "-" + d.negate());
    }
    return a.toString();
  }

  static String describe(Packet p) {
    StringBuilder s =
        new StringBuilder("connection ")
            .append(p.connection())
            .append(" #")
            .append(p.sequence())
            .append(" amount ")
            .append(amount(p.amount()));
    if (!p.fulfill()) {
      s.append(" declined");
    }
    if (p.closeConnection()) {
      s.append(" closeConnection");
    }
    if (p.source() != null) {
      s.append(" from ").append(p.source());
    }
    s.append(" streams [");
    for (Share sh : p.streams()) {
      s.append(" ")
          .append(sh.streamId())
          .append(": ")
          .append(amount(sh.amount()))
          .append(sh.close() ? " close" : "");
    }
    s.append(" ]");
    if (!p.data().isEmpty()) {
      s.append(" data [");
      for (Chunk c : p.data()) {
        s.append(" ")
            .append(c.streamId())
            .append("@")
            .append(c.offset())
            .append("+")
            .append(c.length());
      }
      s.append(" ]");
    }
    return s.toString();
  }

  static String describe(Verdict v) {
    StringBuilder s = new StringBuilder(v.outcome().toString());
    v.streams()
        .forEach(
            t ->
                s.append(" ")
                    .append(t.streamId())
                    .append(": ")
                    .append(amount(t.received()))
                    .append("/")
                    .append(amount(t.receiveMax())));
    return s.toString();
  }
}
