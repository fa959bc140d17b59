package dev.inlet.ledger.batch;

import static dev.inlet.ledger.batch.Comparisons.check;
import static dev.inlet.ledger.batch.Comparisons.checkInvariants;
import static dev.inlet.ledger.batch.Comparisons.compareBatch;
import static dev.inlet.ledger.batch.Comparisons.compareSnapshots;
import static dev.inlet.ledger.batch.Descriptions.transcript;
import static dev.inlet.ledger.batch.Scenario.maxDataBytes;
import static org.junit.jupiter.api.Assertions.fail;

import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.batch.DeciderAdapter.Decided;
import dev.inlet.ledger.batch.ModelValues.BatchResult;
import dev.inlet.ledger.batch.ModelValues.Packet;
import dev.inlet.ledger.batch.ModelValues.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The batch rules checked against a plain reference model on random input: random scenarios —
 * accounts (some with receive limits, some already near 2^64-1), invoices (some nearly paid,
 * closed, or expiring between batches, each batch having its own time), connections (some paying an
 * invoice, some closed, some near their {@code StreamData} bound), and several batches of packets
 * aimed at the edges — are decided by {@link BatchDecider} (through {@link DeciderAdapter}, the
 * test's only contact with production code) and by {@link LedgerModel}, which must agree on every
 * packet's outcome and reported stream totals, on what each batch writes, and, batch after batch,
 * on every cumulative total, invoices' received included. Between batches the decider's writes are
 * "committed" to {@link CommittedLedger}, which applies them as {@code postgres.BatchStatement}
 * does, and the next batch's state is read from it as {@code postgres.BatchTransaction} reads it;
 * so a write the decider forgets shows up in a later batch's totals. The committed ledger is also
 * held to the ledger's invariants (money neither made nor lost between packets, connections,
 * streams, invoices and accounts; no limit passed; no invoice overpaid; no advertisement shrunk but
 * an invoice's; every entry balanced).
 *
 * <p>Seeded loops, not a property-testing engine. Each scenario is generated from its own seed; a
 * failure is shrunk (batches, packets and frames dropped while it still fails) and reported with
 * the scenario's seed and a replay command: {@code mvn -B -q -o test
 * -Dtest=BatchRulesModelTest#everyBatchIsDecidedAsTheReferenceModelDecidesIt
 * -Dinlet.model.seed=SEED -Dinlet.model.scenarios=1}. The main test starts from a new random seed
 * each run ({@code inlet.model.seed} fixes it); the coverage test runs fixed seeds and checks that
 * the generator reaches every outcome of the batch rules and the amount edges.
 *
 * <p>The parts, each in this package: {@link ScenarioGenerator} draws a {@link Scenario} of {@link
 * Intent}s, {@link Resolver} turns intents into packets, {@link CommittedLedger} applies the
 * decider's writes, {@link Comparisons} holds the decider to the model and the invariants, {@link
 * Shrinker} shrinks a failure, {@link Descriptions} renders it, and {@link Coverage} counts what
 * was reached.
 *
 * <p>Not covered here: the {@code LedgerCache} path (the same decider on state kept in memory; its
 * stale batches are refused by the database, and batches it cannot decide — money on a closed
 * connection — are read under locks; {@code LedgerCacheTest}), expiry and database failures, the
 * SQL itself, and states the writer cannot reach (a stream holding more than its connection, a
 * connection more than its account: the generator keeps those sums).
 */
class BatchRulesModelTest {
  /** Scenarios per run of the main test: a few seconds at most on a shared 2-core machine. */
  static final int defaultScenarios = 2000;

  /** Scenarios of the coverage test, from fixed seeds. */
  static final int coverageScenarios = 400;

  static final long coverageSeed = 0x1d1e7L;

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
      // Expiry, a full queue and database failures are the writer's, not the batch rules'.
      if (o != Outcome.EXPIRED
          && o != Outcome.BUSY
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
      Scenario scenario = ScenarioGenerator.scenario(new SplittableRandom(seed));
      Failure failure = run(scenario, coverage);
      if (failure != null) {
        Scenario small = Shrinker.shrink(scenario, s -> run(s, new Coverage()) != null);
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

  record Failure(String message, String transcript) {}

  /** Runs a scenario on the model and the decider; the first disagreement, or null. */
  static Failure run(Scenario scenario, Coverage coverage) {
    LedgerModel model = new LedgerModel(maxDataBytes);
    CommittedLedger ledger = new CommittedLedger();
    scenario.world().load(model, ledger);
    Resolver resolver = new Resolver(scenario.world(), model);
    // What ran, rendered only for a failure.
    List<List<Packet>> packets = new ArrayList<>();
    List<BatchResult> expectations = new ArrayList<>();
    List<Decided> decisions = new ArrayList<>();
    try {
      check(
          model.snapshot().equals(ledger.snapshot()), () -> "the model and the ledger start apart");
      for (int b = 0; b < scenario.batches().size(); b++) {
        List<Packet> batch = new ArrayList<>();
        packets.add(batch);
        long now = Scenario.time(b);
        model.at(now);
        for (Intent intent : scenario.batches().get(b)) {
          Packet p = resolver.resolve(intent);
          model.apply(p);
          batch.add(p);
        }
        BatchResult expected = model.endBatch();
        expectations.add(expected);
        Snapshot before = ledger.snapshot();
        Decided decided = DeciderAdapter.decide(maxDataBytes, ledger, batch, now);
        decisions.add(decided);
        compareBatch(b, batch, expected, decided, ledger);
        ledger.commit(decided);
        Snapshot after = ledger.snapshot();
        compareSnapshots(b, model.snapshot(), after);
        checkInvariants(b, scenario.world(), ledger, before, after, decided);
        coverage.count(batch, decided, before, after);
      }
      return null;
    } catch (AssertionError | RuntimeException e) {
      String message = e instanceof AssertionError ? e.getMessage() : "the decider threw " + e;
      return new Failure(message, transcript(scenario.world(), packets, expectations, decisions));
    }
  }
}
