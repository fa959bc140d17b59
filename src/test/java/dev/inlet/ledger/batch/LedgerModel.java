package dev.inlet.ledger.batch;

import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.batch.ModelState.Account;
import dev.inlet.ledger.batch.ModelState.Batch;
import dev.inlet.ledger.batch.ModelState.Connection;
import dev.inlet.ledger.batch.ModelState.Invoice;
import dev.inlet.ledger.batch.ModelState.MutableChange;
import dev.inlet.ledger.batch.ModelState.Stream;
import dev.inlet.ledger.batch.ModelValues.AccountRow;
import dev.inlet.ledger.batch.ModelValues.BatchResult;
import dev.inlet.ledger.batch.ModelValues.Change;
import dev.inlet.ledger.batch.ModelValues.Chunk;
import dev.inlet.ledger.batch.ModelValues.ChunkKey;
import dev.inlet.ledger.batch.ModelValues.ConnectionRow;
import dev.inlet.ledger.batch.ModelValues.Credit;
import dev.inlet.ledger.batch.ModelValues.InvoiceRow;
import dev.inlet.ledger.batch.ModelValues.Kept;
import dev.inlet.ledger.batch.ModelValues.Packet;
import dev.inlet.ledger.batch.ModelValues.Share;
import dev.inlet.ledger.batch.ModelValues.Snapshot;
import dev.inlet.ledger.batch.ModelValues.StreamView;
import dev.inlet.ledger.batch.ModelValues.Verdict;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain reference model of the ledger's batch rules, written for {@link BatchRulesModelTest} from
 * the documented rules (the class comments of {@code BatchDecider}, {@code Outcome}, {@code
 * PacketRecord}, {@code BatchChanges}, the invoices' table in {@code db/V2}) and RFC 0029 §4.4–4.6
 * and §5.3.9, not translated from the decider's code. Amounts are {@link BigInteger}s, so unsigned
 * 64-bit arithmetic here cannot share an overflow bug with the decider's longs; state is plain
 * maps.
 *
 * <p>The rules, in their documented precedence, for each packet in order:
 *
 * <ol>
 *   <li>a retry — a packet the receiver would fulfil, with the connection, sequence and amount of a
 *       packet credited before — is {@code DUPLICATE}: fulfil again, change nothing; even on a
 *       connection closed since (by that packet itself or a later one), since the money is held and
 *       the connector retries only because it lost the Fulfill;
 *   <li>a closed connection takes nothing else: {@code CONNECTION_CLOSED} (a credited sequence with
 *       another amount on a closed connection too);
 *   <li>a packet the receiver declined ({@code fulfill} false) is only counted: {@code REJECTED};
 *   <li>a sequence credited before on the connection with another amount is a reuse: {@code
 *       SEQUENCE_REUSED};
 *   <li>an invoice the packet pays money to must take money — open (pending or processing), not
 *       completed (its received short of its amount, also after earlier packets of the batch) and
 *       the batch's time before its expiry — else {@code INVOICE_CLOSED}; a packet without money
 *       passes (its frames alone keep the connection open, for a refund);
 *   <li>no account, connection or stream total may pass 2^64-1: {@code OVERFLOW};
 *   <li>the account's receive limit must hold: {@code LIMIT_EXCEEDED};
 *   <li>a packet with money may not take its connection past the connection's most ({@link
 *       Scenario#connectionMax(long)}, admission control's max-amount): {@code CONNECTION_LIMIT};
 *   <li>an invoice is never overpaid: the amount may not pass what it has left, {@code
 *       INVOICE_EXCEEDED} (reaching its amount exactly completes it);
 *   <li>no money may go to a stream the sender closed (a zero share may): {@code STREAM_CLOSED};
 *   <li>the connection's kept {@code StreamData} bytes must stay within its bound ({@code
 *       ConnectionMaxData}); past it: {@code DATA_LIMIT}, a {@code FlowControlError} that closes
 *       the connection (RFC 0029 §4.5).
 * </ol>
 *
 * Every refusal but a {@code DUPLICATE} counts as a rejected packet, and closes the connection when
 * the packet carries {@code closeConnection}. A fulfilled packet credits its amount to the account
 * and the connection (and the invoice it pays), its shares to its streams (a stream named for the
 * first time starts at zero), marks the streams it closes, keeps the chunks of {@code StreamData}
 * not kept before (by stream and offset: a resent chunk is the same frame, RFC 0029 §5.3.11), and
 * closes the connection when it carries {@code closeConnection}. The sender's latest address is
 * kept from any packet.
 *
 * <p>A stream's {@code receiveMax} (what {@code StreamMaxMoney} advertises, RFC 0029 §5.3.9) is
 * what it has plus what its account may still take, at most 2^64-1, and 2^64-1 for an account
 * without a limit; it never shrinks (§4.4.4: an endpoint must not renege), so a stream a packet
 * credits keeps the larger of the old and the new value. On an invoice's connection the room is
 * also at most what the invoice has left (nothing once it takes no money), and the value follows
 * the invoice down: it is computed afresh, on credit and in every report. Each packet reports, for
 * every stream it names, the totals after it: a stream's stored totals (on an invoice's connection
 * its received with a fresh maximum), or for one not stored yet, zero received and what a new
 * stream would be advertised.
 *
 * <p>One reading is decided here, where the rules' wording leaves room: the retry rule is about
 * credits, and a zero amount credits nothing ({@code Outcome.FULFILLED}: "for a zero amount, its
 * frames recorded"), so a zero amount is neither recorded as a credited sequence nor checked
 * against one.
 *
 * <p>Deliberately not modelled: expiry ({@code EXPIRED}) and the database ({@code UNAVAILABLE}),
 * which are the writer's, not the batch rules'; how the receiver splits a Prepare between streams
 * (the packets come with their shares); row versions; and the cache that lets the writer skip
 * reads.
 */
final class LedgerModel {
  static final BigInteger maxUint64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final int maxDataBytes;
  private final Map<Long, Account> accounts = new TreeMap<>();
  private final Map<Long, Invoice> invoices = new TreeMap<>();
  private final Map<Integer, Connection> connections = new TreeMap<>();
  private Batch batch = new Batch();

  /** The current batch's time, seconds since the epoch. */
  private long now;

  /**
   * @param maxDataBytes the {@code StreamData} bytes a connection may keep
   */
  LedgerModel(int maxDataBytes) {
    this.maxDataBytes = maxDataBytes;
  }

  // ---- set-up
  // ----------------------------------------------------------------------------------------------

  void account(long id, BigInteger received, BigInteger limit) {
    accounts.put(id, new Account(received, limit));
  }

  void invoice(long id, InvoiceRow row) {
    invoices.put(
        id, new Invoice(row.account(), row.amount(), row.received(), row.open(), row.expiresAt()));
  }

  /** The time of the batch the next packets are in. */
  void at(long seconds) {
    now = seconds;
  }

  /**
   * A connection as stored before the run: its streams, credited sequences and chunks come with it.
   */
  void connection(int number, ConnectionRow row) {
    Connection c = new Connection(row.account());
    c.received = row.received();
    c.fulfilled = row.fulfilled();
    c.rejected = row.rejected();
    c.closed = row.closed();
    c.dataBytes = row.dataBytes();
    c.source = row.source();
    row.streams()
        .forEach(
            (id, s) -> c.streams.put(id, new Stream(s.received(), s.receiveMax(), s.closed())));
    c.credited.putAll(row.credited());
    c.data.putAll(row.data());
    connections.put(number, c);
  }

  // ---- reads the generator uses to aim at edges
  // ------------------------------------------------------------

  BigInteger accountReceived(long account) {
    return accounts.get(account).received;
  }

  BigInteger accountLimit(long account) {
    return accounts.get(account).limit;
  }

  /** What the invoice may still receive, or null for none. */
  BigInteger invoiceLeft(long invoice) {
    Invoice i = invoices.get(invoice);
    return i == null ? null : i.amount.subtract(i.received);
  }

  BigInteger connectionReceived(int connection) {
    Connection c = connections.get(connection);
    return c == null ? BigInteger.ZERO : c.received;
  }

  /** The stored stream's received total, or zero. */
  BigInteger streamReceived(int connection, long streamId) {
    Connection c = connections.get(connection);
    Stream s = c == null ? null : c.streams.get(streamId);
    return s == null ? BigInteger.ZERO : s.received;
  }

  Map<Long, BigInteger> credited(int connection) {
    Connection c = connections.get(connection);
    return c == null ? Map.of() : c.credited;
  }

  List<Chunk> kept(int connection) {
    Connection c = connections.get(connection);
    return c == null ? List.of() : new ArrayList<>(c.data.values());
  }

  int dataBytes(int connection) {
    Connection c = connections.get(connection);
    return c == null ? 0 : c.dataBytes;
  }

  // ---- the rules
  // -------------------------------------------------------------------------------------------

  /** Applies one packet of the current batch. */
  Verdict apply(Packet p) {
    Account a = Objects.requireNonNull(accounts.get(p.account()), "unknown account");
    Invoice i = p.invoice() == 0 ? null : invoices.get(p.invoice());
    if (p.invoice() != 0) {
      Objects.requireNonNull(i, "unknown invoice");
      batch.invoices.add(p.invoice());
    }
    Connection c = connections.computeIfAbsent(p.connection(), n -> new Connection(p.account()));
    MutableChange change =
        batch.changes.computeIfAbsent(
            p.connection(), n -> new MutableChange(c.account, p.invoice()));
    if (p.source() != null) {
      c.source = p.source();
      change.source = p.source();
    }
    Outcome refusal = refusal(p, a, i, c);
    if (refusal == Outcome.DUPLICATE) {
      return verdict(p, a, i, c, refusal);
    }
    if (refusal != null) {
      c.rejected++;
      change.rejected++;
      if (p.closeConnection() || refusal == Outcome.DATA_LIMIT) {
        c.closed = true;
      }
      return verdict(p, a, i, c, refusal);
    }
    fulfil(p, a, i, c, change);
    return verdict(p, a, i, c, Outcome.FULFILLED);
  }

  private Outcome refusal(Packet p, Account a, Invoice i, Connection c) {
    BigInteger amount = p.amount();
    // The retry first: a credited packet is fulfilled again even when the connection has closed
    // since.
    if (p.fulfill() && amount.signum() > 0 && amount.equals(c.credited.get(p.sequence()))) {
      return Outcome.DUPLICATE;
    }
    if (c.closed) {
      return Outcome.CONNECTION_CLOSED;
    }
    if (!p.fulfill()) {
      return Outcome.REJECTED;
    }
    if (amount.signum() > 0 && c.credited.containsKey(p.sequence())) {
      return Outcome.SEQUENCE_REUSED;
    }
    if (i != null && amount.signum() > 0 && !takesMoney(i)) {
      return Outcome.INVOICE_CLOSED;
    }
    if (passesMax(a.received, amount) || passesMax(c.received, amount)) {
      return Outcome.OVERFLOW;
    }
    for (Share s : p.streams()) {
      Stream stream = c.streams.get(s.streamId());
      if (stream != null && passesMax(stream.received, s.amount())) {
        return Outcome.OVERFLOW;
      }
    }
    if (a.limit != null && a.received.add(amount).compareTo(a.limit) > 0) {
      return Outcome.LIMIT_EXCEEDED;
    }
    BigInteger connectionMax = Scenario.connectionMax(p.account());
    if (connectionMax != null
        && amount.signum() > 0
        && c.received.add(amount).compareTo(connectionMax) > 0) {
      return Outcome.CONNECTION_LIMIT;
    }
    if (i != null && i.received.add(amount).compareTo(i.amount) > 0) {
      return Outcome.INVOICE_EXCEEDED;
    }
    for (Share s : p.streams()) {
      Stream stream = c.streams.get(s.streamId());
      if (stream != null && stream.closed && s.amount().signum() > 0) {
        return Outcome.STREAM_CLOSED;
      }
    }
    if (c.dataBytes + newBytes(p, c) > maxDataBytes) {
      return Outcome.DATA_LIMIT;
    }
    return null;
  }

  /**
   * Bytes of the packet's chunks not kept yet: a chunk sent twice, before or in this packet, counts
   * once.
   */
  private static int newBytes(Packet p, Connection c) {
    Set<ChunkKey> seen = new HashSet<>();
    int bytes = 0;
    for (Chunk d : p.data()) {
      if (!c.data.containsKey(d.key()) && seen.add(d.key())) {
        bytes += d.length();
      }
    }
    return bytes;
  }

  private void fulfil(Packet p, Account a, Invoice i, Connection c, MutableChange change) {
    BigInteger amount = p.amount();
    if (i != null) {
      i.received = i.received.add(amount);
    }
    if (amount.signum() > 0) {
      c.credited.put(p.sequence(), amount);
      a.received = a.received.add(amount);
      batch.credits.add(new Credit(p.connection(), p.sequence(), amount, p.account()));
      batch.accountCredits.merge(p.account(), amount, BigInteger::add);
    }
    c.received = c.received.add(amount);
    c.fulfilled++;
    change.received = change.received.add(amount);
    change.fulfilled++;
    for (Share s : p.streams()) {
      Stream stream =
          c.streams.computeIfAbsent(
              s.streamId(), id -> new Stream(BigInteger.ZERO, BigInteger.ZERO, false));
      stream.received = stream.received.add(s.amount());
      stream.closed = stream.closed || s.close();
      batch.streamsChanged.add(p.connection());
    }
    // After the credit: what the account (and invoice) may still take is what every stream of the
    // packet is advertised; an invoice's streams follow it down.
    for (Share s : p.streams()) {
      Stream stream = c.streams.get(s.streamId());
      BigInteger fresh = advertised(stream.received, a, i, c, p.account());
      stream.receiveMax = i != null ? fresh : stream.receiveMax.max(fresh);
    }
    for (Chunk d : p.data()) {
      if (!c.data.containsKey(d.key())) {
        c.data.put(d.key(), d);
        c.dataBytes += d.length();
        change.dataBytes += d.length();
        batch.kept.add(new Kept(p.connection(), d));
      }
    }
    if (p.closeConnection()) {
      c.closed = true;
    }
  }

  private Verdict verdict(Packet p, Account a, Invoice i, Connection c, Outcome outcome) {
    List<StreamView> views = new ArrayList<>();
    for (Share s : p.streams()) {
      Stream stream = c.streams.get(s.streamId());
      BigInteger received = stream == null ? BigInteger.ZERO : stream.received;
      views.add(
          stream == null || i != null
              ? new StreamView(s.streamId(), received, advertised(received, a, i, c, p.account()))
              : new StreamView(s.streamId(), stream.received, stream.receiveMax));
    }
    Verdict v = new Verdict(outcome, views);
    batch.verdicts.add(v);
    return v;
  }

  /**
   * What a stream holding {@code received} may receive in all: that plus the account's room, at
   * most 2^64-1.
   */
  static BigInteger advertised(BigInteger received, AccountRow account) {
    return advertisedWithin(received, new Account(account.received(), account.limit()), null);
  }

  /**
   * The same, on an invoice's connection ({@code i} not null) at most what the invoice may take.
   */
  private BigInteger advertised(
      BigInteger received, Account a, Invoice i, Connection c, long account) {
    BigInteger within =
        advertisedWithin(received, a, i == null ? null : takesMoney(i) ? left(i) : BigInteger.ZERO);
    BigInteger connectionMax = Scenario.connectionMax(account);
    if (connectionMax == null) {
      return within;
    }
    // And at most the connection's room: what its most leaves beyond what it has received.
    BigInteger room = connectionMax.subtract(c.received).max(BigInteger.ZERO);
    return within.min(received.add(room).min(maxUint64));
  }

  private static BigInteger advertisedWithin(
      BigInteger received, Account a, BigInteger invoiceLeft) {
    BigInteger room =
        a.limit == null ? maxUint64 : a.limit.subtract(a.received).max(BigInteger.ZERO);
    if (invoiceLeft != null) {
      room = room.min(invoiceLeft);
    }
    return received.add(room).min(maxUint64);
  }

  /**
   * Whether the invoice takes money now: open, not completed (it completes as soon as it has its
   * amount, in the batch that pays it), and the batch's time before its expiry.
   */
  private boolean takesMoney(Invoice i) {
    return i.open && i.received.compareTo(i.amount) < 0 && now < i.expiresAt;
  }

  private static BigInteger left(Invoice i) {
    return i.amount.subtract(i.received).max(BigInteger.ZERO);
  }

  private static boolean passesMax(BigInteger total, BigInteger amount) {
    return total.add(amount).compareTo(maxUint64) > 0;
  }

  /** Ends the current batch: what it did; the next packet starts a new one. */
  BatchResult endBatch() {
    Map<Integer, Change> changes = new TreeMap<>();
    batch.changes.forEach(
        (n, m) ->
            changes.put(
                n,
                new Change(
                    m.account,
                    m.invoice,
                    m.received,
                    m.fulfilled,
                    m.rejected,
                    m.source,
                    m.dataBytes)));
    BatchResult r =
        new BatchResult(
            List.copyOf(batch.verdicts),
            List.copyOf(batch.credits),
            Map.copyOf(batch.accountCredits),
            List.copyOf(batch.kept),
            changes,
            Set.copyOf(batch.streamsChanged),
            invoiceReceived(batch.invoices));
    batch = new Batch();
    return r;
  }

  private Map<Long, BigInteger> invoiceReceived(Set<Long> ids) {
    Map<Long, BigInteger> m = new TreeMap<>();
    ids.forEach(id -> m.put(id, invoices.get(id).received));
    return m;
  }

  /** Everything the model holds now. */
  Snapshot snapshot() {
    return ModelState.snapshot(accounts, invoices, connections);
  }
}
