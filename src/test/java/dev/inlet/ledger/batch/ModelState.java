package dev.inlet.ledger.batch;

import dev.inlet.ledger.batch.ModelValues.AccountRow;
import dev.inlet.ledger.batch.ModelValues.Chunk;
import dev.inlet.ledger.batch.ModelValues.ChunkKey;
import dev.inlet.ledger.batch.ModelValues.ConnectionRow;
import dev.inlet.ledger.batch.ModelValues.Credit;
import dev.inlet.ledger.batch.ModelValues.InvoiceRow;
import dev.inlet.ledger.batch.ModelValues.Kept;
import dev.inlet.ledger.batch.ModelValues.Snapshot;
import dev.inlet.ledger.batch.ModelValues.StreamRow;
import dev.inlet.ledger.batch.ModelValues.Verdict;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link LedgerModel}'s mutable state: plain fields and maps. */
final class ModelState {
  private ModelState() {}

  /** The rows of the model's state, copied. */
  static Snapshot snapshot(
      Map<Long, Account> accounts,
      Map<Long, Invoice> invoices,
      Map<Integer, Connection> connections) {
    TreeMap<Long, AccountRow> as = new TreeMap<>();
    accounts.forEach((id, a) -> as.put(id, new AccountRow(a.received, a.limit)));
    TreeMap<Integer, ConnectionRow> cs = new TreeMap<>();
    connections.forEach(
        (n, c) -> {
          TreeMap<Long, StreamRow> streams = new TreeMap<>();
          c.streams.forEach(
              (id, s) -> streams.put(id, new StreamRow(s.received, s.receiveMax, s.closed)));
          cs.put(
              n,
              new ConnectionRow(
                  c.account,
                  c.received,
                  c.fulfilled,
                  c.rejected,
                  c.closed,
                  c.dataBytes,
                  c.source,
                  streams,
                  new TreeMap<>(c.credited),
                  new TreeMap<>(c.data)));
        });
    TreeMap<Long, InvoiceRow> is = new TreeMap<>();
    // Received its amount: completed, no longer open.
    invoices.forEach(
        (id, i) ->
            is.put(
                id,
                new InvoiceRow(
                    i.account,
                    i.amount,
                    i.received,
                    i.open && !i.received.equals(i.amount),
                    i.expiresAt)));
    return new Snapshot(as, is, cs);
  }

  static final class Account {
    BigInteger received;
    final BigInteger limit;

    Account(BigInteger received, BigInteger limit) {
      this.received = received;
      this.limit = limit;
    }
  }

  static final class Connection {
    final long account;
    BigInteger received = BigInteger.ZERO;
    int fulfilled;
    int rejected;
    boolean closed;
    int dataBytes;
    String source;
    final Map<Long, Stream> streams = new TreeMap<>();
    final Map<Long, BigInteger> credited = new TreeMap<>();
    final Map<ChunkKey, Chunk> data = new TreeMap<>();

    Connection(long account) {
      this.account = account;
    }
  }

  static final class Stream {
    BigInteger received;
    BigInteger receiveMax;
    boolean closed;

    Stream(BigInteger received, BigInteger receiveMax, boolean closed) {
      this.received = received;
      this.receiveMax = receiveMax;
      this.closed = closed;
    }
  }

  static final class Invoice {
    final long account;
    final BigInteger amount;
    BigInteger received;
    final boolean open;
    final long expiresAt;

    Invoice(long account, BigInteger amount, BigInteger received, boolean open, long expiresAt) {
      this.account = account;
      this.amount = amount;
      this.received = received;
      this.open = open;
      this.expiresAt = expiresAt;
    }
  }

  static final class MutableChange {
    final long account;
    final long invoice;
    BigInteger received = BigInteger.ZERO;
    int fulfilled;
    int rejected;
    String source;
    int dataBytes;

    MutableChange(long account, long invoice) {
      this.account = account;
      this.invoice = invoice;
    }
  }

  static final class Batch {
    final List<Verdict> verdicts = new ArrayList<>();
    final List<Credit> credits = new ArrayList<>();
    final Map<Long, BigInteger> accountCredits = new LinkedHashMap<>();
    final List<Kept> kept = new ArrayList<>();
    final Map<Integer, MutableChange> changes = new LinkedHashMap<>();
    final Set<Integer> streamsChanged = new HashSet<>();
    final Set<Long> invoices = new TreeSet<>();
  }
}
