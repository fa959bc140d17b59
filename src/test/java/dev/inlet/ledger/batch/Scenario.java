package dev.inlet.ledger.batch;

import dev.inlet.ledger.batch.ModelValues.AccountRow;
import dev.inlet.ledger.batch.ModelValues.ConnectionRow;
import dev.inlet.ledger.batch.ModelValues.InvoiceRow;
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

  /**
   * Account 2's connections may each receive at most this ({@code max-amount}); others: no limit.
   */
  static final long connectionMax = 5_000;

  /** The most one connection of {@code account} may receive, or null for no limit. */
  static BigInteger connectionMax(long account) {
    return account == 2 ? BigInteger.valueOf(connectionMax) : null;
  }

  /** Batch {@code b}'s time, seconds since the epoch: ten seconds apart. */
  static long time(int b) {
    return 1_000 + 10L * b;
  }

  int size() {
    return batches.stream().mapToInt(List::size).sum();
  }

  /** An account as stored before the run. */
  record AccountSpec(long id, BigInteger received, BigInteger limit) {}

  /** An invoice as stored before the run. */
  record InvoiceSpec(long id, InvoiceRow row) {}

  /**
   * A connection packets may name: stored before the run ({@code row} not null) or new; paying
   * {@code invoice} (0: none), whose account is {@code account}.
   */
  record ConnectionSpec(int number, long account, long invoice, ConnectionRow row) {}

  record World(
      List<AccountSpec> accounts, List<InvoiceSpec> invoices, List<ConnectionSpec> connections) {
    /** The invoice connection {@code number} pays, or 0. */
    long invoiceOf(int number) {
      return connections.stream()
          .filter(c -> c.number() == number)
          .mapToLong(ConnectionSpec::invoice)
          .findFirst()
          .orElse(0);
    }

    void load(LedgerModel model, CommittedLedger ledger) {
      for (AccountSpec a : accounts) {
        model.account(a.id(), a.received(), a.limit());
        ledger.accounts.put(a.id(), new AccountRow(a.received(), a.limit()));
      }
      for (InvoiceSpec i : invoices) {
        model.invoice(i.id(), i.row());
        ledger.invoices.put(i.id(), i.row());
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
