package dev.inlet.ledger.batch;

import dev.inlet.ledger.batch.LedgerModel.AccountRow;
import dev.inlet.ledger.batch.LedgerModel.ConnectionRow;
import java.math.BigInteger;
import java.util.List;

/**
 * One generated scenario of {@link BatchRulesModelTest}: the state before the run, and the batches
 * as intents (resolved against the model's state when applied, by {@link Resolver}). Also the
 * constants every scenario shares.
 */
record Scenario(Scenario.World world, List<List<Intent>> batches) {
  /** A small {@code ConnectionMaxData}, so scenarios reach it with a few short chunks. */
  static final int maxDataBytes = 64;

  static final BigInteger max = LedgerModel.maxUint64;
  static final BigInteger twoTo63 = BigInteger.ONE.shiftLeft(63);
  static final long[] streamIds = {1, 3, 5, 7};

  int size() {
    return batches.stream().mapToInt(List::size).sum();
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
  }
}
