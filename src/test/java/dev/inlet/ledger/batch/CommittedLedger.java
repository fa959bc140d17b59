package dev.inlet.ledger.batch;

import static dev.inlet.ledger.batch.Comparisons.check;

import dev.inlet.ledger.batch.DeciderAdapter.Decided;
import dev.inlet.ledger.batch.ModelValues.AccountRow;
import dev.inlet.ledger.batch.ModelValues.ConnectionRow;
import dev.inlet.ledger.batch.ModelValues.Credit;
import dev.inlet.ledger.batch.ModelValues.InvoiceRow;
import dev.inlet.ledger.batch.ModelValues.Kept;
import dev.inlet.ledger.batch.ModelValues.Snapshot;
import dev.inlet.ledger.batch.ModelValues.StreamRow;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the database would hold: the decider's writes applied as {@code postgres.BatchStatement}
 * applies them (totals added, counts added, closed once closed, the streams replaced whole,
 * credited packets and kept chunks inserted, each written connection one version on, each invoice
 * paid its connections' credits and completed — no longer open — when that reaches its amount), and
 * read back by {@link DeciderAdapter} for the next batch.
 */
final class CommittedLedger {
  /** The connector's account, debited for every credit. */
  static final long connectorAccount = 0;

  final TreeMap<Long, AccountRow> accounts = new TreeMap<>();

  /**
   * Each account's balance: the sum of its entries since the run began (the connector's account
   * too).
   */
  final Map<Long, BigInteger> balances = new HashMap<>();

  final TreeMap<Long, InvoiceRow> invoices = new TreeMap<>();
  final TreeMap<Integer, ConnectionRow> connections = new TreeMap<>();
  final Map<Integer, Long> versions = new HashMap<>();

  AccountRow account(long id) {
    return Objects.requireNonNull(accounts.get(id), "no account " + id);
  }

  InvoiceRow invoice(long id) {
    return Objects.requireNonNull(invoices.get(id), "no invoice " + id);
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
              ConnectionRow was =
                  old != null
                      ? old
                      : new ConnectionRow(
                          w.account(),
                          BigInteger.ZERO,
                          0,
                          0,
                          false,
                          0,
                          null,
                          new TreeMap<>(),
                          new TreeMap<>(),
                          new TreeMap<>());
              connections.put(
                  n,
                  new ConnectionRow(
                      was.account(),
                      was.received().add(w.received()),
                      was.fulfilled() + w.fulfilled(),
                      was.rejected() + w.rejected(),
                      was.closed() || w.closes(),
                      was.dataBytes() + w.dataBytes(),
                      w.source() != null ? w.source() : was.source(),
                      streams,
                      new TreeMap<>(was.credited()),
                      new TreeMap<>(was.data())));
              versions.put(n, version(n) + 1);
            });
    payInvoices(d);
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

  /**
   * Each invoice takes the sum of its connections' credits; the statement aborts, as here, when one
   * no longer takes money (not open) or would pass its amount.
   */
  private void payInvoices(Decided d) {
    Map<Long, BigInteger> paid = new TreeMap<>();
    d.changes()
        .values()
        .forEach(
            w -> {
              if (w.invoice() != 0 && w.received().signum() > 0) {
                paid.merge(w.invoice(), w.received(), BigInteger::add);
              }
            });
    paid.forEach(
        (id, credit) -> {
          InvoiceRow i = invoice(id);
          BigInteger received = i.received().add(credit);
          check(
              i.open() && received.compareTo(i.amount()) <= 0,
              () ->
                  "the batch statement refuses to pay " + credit + " to invoice " + id + ": " + i);
          invoices.put(
              id,
              new InvoiceRow(
                  i.account(), i.amount(), received, !received.equals(i.amount()), i.expiresAt()));
        });
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
    return new Snapshot(new TreeMap<>(accounts), new TreeMap<>(invoices), copy);
  }
}
