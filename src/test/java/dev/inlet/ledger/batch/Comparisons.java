package dev.inlet.ledger.batch;

import static dev.inlet.ledger.batch.Descriptions.describe;
import static dev.inlet.ledger.batch.Scenario.max;
import static dev.inlet.ledger.batch.Scenario.maxDataBytes;

import dev.inlet.ledger.batch.DeciderAdapter.Decided;
import dev.inlet.ledger.batch.DeciderAdapter.Written;
import dev.inlet.ledger.batch.ModelValues.BatchResult;
import dev.inlet.ledger.batch.ModelValues.Change;
import dev.inlet.ledger.batch.ModelValues.Chunk;
import dev.inlet.ledger.batch.ModelValues.ConnectionRow;
import dev.inlet.ledger.batch.ModelValues.Credit;
import dev.inlet.ledger.batch.ModelValues.InvoiceRow;
import dev.inlet.ledger.batch.ModelValues.Packet;
import dev.inlet.ledger.batch.ModelValues.Snapshot;
import dev.inlet.ledger.batch.ModelValues.StreamRow;
import dev.inlet.ledger.batch.ModelValues.Verdict;
import dev.inlet.ledger.batch.Scenario.AccountSpec;
import dev.inlet.ledger.batch.Scenario.World;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What {@link BatchRulesModelTest} holds the decider to after each batch: the same verdicts and
 * writes as the model, the same committed totals, and the ledger's invariants. Each throws an
 * {@link AssertionError} naming the batch and both sides.
 */
final class Comparisons {
  private Comparisons() {}

  static void check(boolean ok, Supplier<String> message) {
    if (!ok) {
      throw new AssertionError(message.get());
    }
  }

  /** Fails unless the model's and the decider's values are equal, showing both. */
  private static void agree(Object model, Object decider, Supplier<String> what) {
    check(model.equals(decider), () -> disagreement(what.get(), model, decider));
  }

  private static String disagreement(String what, Object model, Object decider) {
    return what + "\n  model:   " + model + "\n  decider: " + decider;
  }

  /** The decider's verdicts and writes for batch {@code b} against the model's. */
  static void compareBatch(
      int b, List<Packet> batch, BatchResult expected, Decided decided, CommittedLedger ledger) {
    String at = "batch " + b;
    check(
        decided.verdicts().size() == batch.size(),
        () -> at + ": " + decided.verdicts().size() + " outcomes for " + batch.size() + " packets");
    for (int i = 0; i < batch.size(); i++) {
      Verdict want = expected.verdicts().get(i);
      Verdict got = decided.verdicts().get(i);
      int n = i;
      check(
          want.equals(got),
          () ->
              disagreement(
                  at + " packet " + n + " " + describe(batch.get(n)),
                  describe(want),
                  describe(got)));
    }
    agree(expected.credits(), decided.credits(), () -> at + ": credited packets differ");
    agree(
        expected.accountCredits(),
        decided.accountCredits(),
        () -> at + ": per-account credits differ");
    Map<Long, BigInteger> fromPackets = new HashMap<>();
    for (Credit c : decided.credits()) {
      fromPackets.merge(c.account(), c.amount(), BigInteger::add);
    }
    check(
        fromPackets.equals(decided.accountCredits()),
        () ->
            at
                + ": the per-account credits are not the sums of the credited packets: "
                + decided.accountCredits()
                + " vs "
                + fromPackets);
    agree(expected.kept(), decided.kept(), () -> at + ": StreamData kept differs");
    check(
        expected.changes().keySet().equals(decided.changes().keySet()),
        () ->
            at
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
                      got.invoice(),
                      got.received(),
                      got.fulfilled(),
                      got.rejected(),
                      got.source(),
                      got.dataBytes());
              agree(want, seen, () -> at + ": connection " + n + "'s changes differ");
              check(
                  got.version() == ledger.version(n),
                  () ->
                      at
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
          () -> at + ": the streams of connection " + n + " changed but are not written");
    }
    agree(
        expected.invoiceReceived(),
        decided.invoiceReceived(),
        () -> at + ": the invoices' received totals differ");
    for (BigInteger credit : decided.accountCredits().values()) {
      check(
          credit.signum() > 0 && credit.compareTo(max) <= 0, () -> at + ": a credit of " + credit);
    }
  }

  /** The committed totals after batch {@code b} against the model's, field by field. */
  static void compareSnapshots(int b, Snapshot want, Snapshot got) {
    if (want.equals(got)) {
      return;
    }
    StringBuilder diff =
        new StringBuilder("after batch " + b + " the committed totals differ from the model's:");
    TreeSet<Long> accounts = new TreeSet<>(want.accounts().keySet());
    accounts.addAll(got.accounts().keySet());
    for (long id : accounts) {
      if (!Objects.equals(want.accounts().get(id), got.accounts().get(id))) {
        appendBoth(
            diff.append("\n  account ").append(id),
            want.accounts().get(id),
            got.accounts().get(id));
      }
    }
    TreeSet<Long> invoices = new TreeSet<>(want.invoices().keySet());
    invoices.addAll(got.invoices().keySet());
    for (long id : invoices) {
      if (!Objects.equals(want.invoices().get(id), got.invoices().get(id))) {
        appendBoth(
            diff.append("\n  invoice ").append(id),
            want.invoices().get(id),
            got.invoices().get(id));
      }
    }
    TreeSet<Integer> connections = new TreeSet<>(want.connections().keySet());
    connections.addAll(got.connections().keySet());
    for (int n : connections) {
      ConnectionRow w = want.connections().get(n);
      ConnectionRow g = got.connections().get(n);
      if (w == null || g == null) {
        appendBoth(diff.append("\n  connection ").append(n), w, g);
      } else if (!w.equals(g)) {
        diff.append("\n  connection ").append(n).append(":");
        for (RecordComponent field : ConnectionRow.class.getRecordComponents()) {
          Object x = value(field, w);
          Object y = value(field, g);
          if (!Objects.equals(x, y)) {
            appendBoth(diff.append("\n    ").append(field.getName()), x, y);
          }
        }
      }
    }
    throw new AssertionError(diff.toString());
  }

  private static void appendBoth(StringBuilder s, Object model, Object decider) {
    s.append(": model ").append(model).append(", decider ").append(decider);
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
   * holding it): money neither made nor lost between entries, packets, connections, streams,
   * invoices and accounts; no limit passed; no invoice overpaid; no advertisement shrunk (but an
   * invoice's, which follows what it has left); nothing reopened.
   */
  static void checkInvariants(
      int b,
      World world,
      CommittedLedger ledger,
      Snapshot before,
      Snapshot after,
      Decided decided) {
    String at = "after batch " + b + ": ";
    BigInteger entries = sum(ledger.balances.values().stream());
    check(entries.signum() == 0, () -> at + "the entries sum to " + entries);
    for (AccountSpec a : world.accounts()) {
      BigInteger balance = ledger.balances.getOrDefault(a.id(), BigInteger.ZERO);
      BigInteger received = after.accounts().get(a.id()).received().subtract(a.received());
      check(
          balance.equals(received),
          () ->
              at
                  + "account "
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
              long invoice = world.invoiceOf(n);
              InvoiceRow left = invoice == 0 ? null : before.invoices().get(invoice);
              checkConnection(at, n, c, before.connections().get(n), left);
            });
    InvoiceChecks.checkAll(at, world, before, after, decided);
    after
        .accounts()
        .forEach(
            (id, a) -> {
              BigInteger inConnections = ofAccount.getOrDefault(id, BigInteger.ZERO);
              check(
                  a.received().compareTo(inConnections) >= 0 && a.received().compareTo(max) <= 0,
                  () ->
                      at
                          + "account "
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
                      at + "account " + id + " was credited " + credited + " past its limit: " + a);
            });
  }

  /**
   * One committed connection {@code c}, {@code old} before the batch (null when new), paying {@code
   * invoice} as it was before the batch (null: none).
   */
  private static void checkConnection(
      String at, int n, ConnectionRow c, ConnectionRow old, InvoiceRow invoice) {
    String of = at + "connection " + n;
    BigInteger credited = sum(c.credited().values().stream());
    check(
        credited.equals(c.received()),
        () -> of + " received " + c.received() + " but its credited packets sum to " + credited);
    BigInteger inStreams = sum(c.streams().values().stream().map(StreamRow::received));
    check(
        inStreams.equals(c.received()),
        () -> of + " received " + c.received() + " but its streams hold " + inStreams);
    int bytes = c.data().values().stream().mapToInt(Chunk::length).sum();
    check(
        bytes == c.dataBytes() && bytes <= maxDataBytes,
        () -> of + " counts " + c.dataBytes() + " StreamData bytes, keeps " + bytes);
    c.streams()
        .forEach(
            (id, s) -> {
              check(
                  s.receiveMax().compareTo(s.received()) >= 0 && s.receiveMax().compareTo(max) <= 0,
                  () -> of + " stream " + id + " " + s);
              StreamRow was = old == null ? null : old.streams().get(id);
              BigInteger left =
                  invoice == null ? null : invoice.amount().subtract(invoice.received());
              // An invoice's stream credited in the batch is advertised afresh: at most what the
              // invoice had left.
              check(
                  left == null
                      || s.equals(was)
                      || s.receiveMax().compareTo(s.received().add(left)) <= 0,
                  () -> of + " stream " + id + " advertises past its invoice's " + left + ": " + s);
              check(
                  was == null || left != null || s.receiveMax().compareTo(was.receiveMax()) >= 0,
                  () ->
                      of
                          + " stream "
                          + id
                          + " advertised "
                          + was.receiveMax()
                          + ", now less: "
                          + s);
              check(
                  was == null || !was.closed() || s.closed(),
                  () -> at + "stream " + id + " reopened");
            });
    check(old == null || !old.closed() || c.closed(), () -> of + " reopened");
  }

  private static BigInteger sum(Stream<BigInteger> amounts) {
    return amounts.reduce(BigInteger.ZERO, BigInteger::add);
  }
}
