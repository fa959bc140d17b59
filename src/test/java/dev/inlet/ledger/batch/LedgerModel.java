package dev.inlet.ledger.batch;

import dev.inlet.ledger.Outcome;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain reference model of the ledger's batch rules, written for {@link BatchRulesModelTest} from
 * the documented rules (the class comments of {@code BatchDecider}, {@code Outcome}, {@code
 * PacketRecord}, {@code BatchChanges}) and RFC 0029 §4.4–4.6 and §5.3.9, not translated from the
 * decider's code. Amounts are {@link BigInteger}s, so unsigned 64-bit arithmetic here cannot share
 * an overflow bug with the decider's longs; state is plain maps.
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
 *   <li>no account, connection or stream total may pass 2^64-1: {@code OVERFLOW};
 *   <li>the account's receive limit must hold: {@code LIMIT_EXCEEDED};
 *   <li>no money may go to a stream the sender closed (a zero share may): {@code STREAM_CLOSED};
 *   <li>the connection's kept {@code StreamData} bytes must stay within its bound ({@code
 *       ConnectionMaxData}); past it: {@code DATA_LIMIT}, a {@code FlowControlError} that closes
 *       the connection (RFC 0029 §4.5).
 * </ol>
 *
 * Every refusal but a {@code DUPLICATE} counts as a rejected packet, and closes the connection when
 * the packet carries {@code closeConnection}. A fulfilled packet credits its amount to the account
 * and the connection, its shares to its streams (a stream named for the first time starts at zero),
 * marks the streams it closes, keeps the chunks of {@code StreamData} not kept before (by stream
 * and offset: a resent chunk is the same frame, RFC 0029 §5.3.11), and closes the connection when
 * it carries {@code closeConnection}. The sender's latest address is kept from any packet.
 *
 * <p>A stream's {@code receiveMax} (what {@code StreamMaxMoney} advertises, RFC 0029 §5.3.9) is
 * what it has plus what its account may still take, at most 2^64-1, and 2^64-1 for an account
 * without a limit; it never shrinks (§4.4.4: an endpoint must not renege), so a stream a packet
 * credits keeps the larger of the old and the new value. Each packet reports, for every stream it
 * names, the totals after it: a stream's stored totals, or for one not stored yet, zero received
 * and what a new stream would be advertised.
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
  private final Map<Integer, Connection> connections = new TreeMap<>();
  private Batch batch = new Batch();

  /**
   * @param maxDataBytes the {@code StreamData} bytes a connection may keep
   */
  LedgerModel(int maxDataBytes) {
    this.maxDataBytes = maxDataBytes;
  }

  // ---- values shared with the test
  // --------------------------------------------------------------------------

  /** A packet as the ledger gets it: the connection by number, amounts unsigned. */
  record Packet(
      int connection,
      long account,
      String source,
      long sequence,
      BigInteger amount,
      boolean fulfill,
      boolean closeConnection,
      List<Share> streams,
      List<Chunk> data) {}

  /** A stream's part of a packet. */
  record Share(long streamId, BigInteger amount, boolean close) {}

  /** A {@code StreamData} chunk: {@code length} bytes, each {@code fill}. */
  record Chunk(long streamId, long offset, int length, byte fill) {
    ChunkKey key() {
      return new ChunkKey(streamId, offset);
    }
  }

  record ChunkKey(long streamId, long offset) implements Comparable<ChunkKey> {
    @Override
    public int compareTo(ChunkKey o) {
      return streamId != o.streamId
          ? Long.compare(streamId, o.streamId)
          : Long.compare(offset, o.offset);
    }
  }

  /** What the ledger answers for one packet. */
  record Verdict(Outcome outcome, List<StreamView> streams) {}

  /** A stream's totals as reported with a packet. */
  record StreamView(long streamId, BigInteger received, BigInteger receiveMax) {}

  /** A credited packet. */
  record Credit(int connection, long sequence, BigInteger amount, long account) {}

  /** A chunk a batch keeps. */
  record Kept(int connection, Chunk chunk) {}

  /**
   * One connection's changes in a batch (as deltas), for comparing with what the decider writes.
   */
  record Change(
      long account,
      BigInteger received,
      int fulfilled,
      int rejected,
      String source,
      int dataBytes) {}

  /** What one batch did. */
  record BatchResult(
      List<Verdict> verdicts,
      List<Credit> credits,
      Map<Long, BigInteger> accountCredits,
      List<Kept> kept,
      Map<Integer, Change> changes,
      Set<Integer> streamsChanged) {}

  /** A stream's stored totals. */
  record StreamRow(BigInteger received, BigInteger receiveMax, boolean closed) {}

  /** An account's stored totals. */
  record AccountRow(BigInteger received, BigInteger limit) {}

  /** A connection's stored totals, with its streams, credited sequences and kept chunks. */
  record ConnectionRow(
      long account,
      BigInteger received,
      int fulfilled,
      int rejected,
      boolean closed,
      int dataBytes,
      String source,
      TreeMap<Long, StreamRow> streams,
      TreeMap<Long, BigInteger> credited,
      TreeMap<ChunkKey, Chunk> data) {}

  /** Everything the ledger holds, comparable with {@code equals}. */
  record Snapshot(
      TreeMap<Long, AccountRow> accounts, TreeMap<Integer, ConnectionRow> connections) {}

  // ---- set-up
  // ----------------------------------------------------------------------------------------------

  void account(long id, BigInteger received, BigInteger limit) {
    accounts.put(id, new Account(received, limit));
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
    Connection c = connections.computeIfAbsent(p.connection(), n -> new Connection(p.account()));
    MutableChange change =
        batch.changes.computeIfAbsent(p.connection(), n -> new MutableChange(c.account));
    if (p.source() != null) {
      c.source = p.source();
      change.source = p.source();
    }
    Outcome refusal = refusal(p, a, c);
    if (refusal == Outcome.DUPLICATE) {
      return verdict(p, a, c, refusal);
    }
    if (refusal != null) {
      c.rejected++;
      change.rejected++;
      if (p.closeConnection() || refusal == Outcome.DATA_LIMIT) {
        c.closed = true;
      }
      return verdict(p, a, c, refusal);
    }
    fulfil(p, a, c, change);
    return verdict(p, a, c, Outcome.FULFILLED);
  }

  private Outcome refusal(Packet p, Account a, Connection c) {
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

  private void fulfil(Packet p, Account a, Connection c, MutableChange change) {
    BigInteger amount = p.amount();
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
    // After the credit: what the account may still take is what every stream of the packet is
    // advertised.
    for (Share s : p.streams()) {
      Stream stream = c.streams.get(s.streamId());
      stream.receiveMax = stream.receiveMax.max(advertised(stream.received, a));
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

  private Verdict verdict(Packet p, Account a, Connection c, Outcome outcome) {
    List<StreamView> views = new ArrayList<>();
    for (Share s : p.streams()) {
      Stream stream = c.streams.get(s.streamId());
      views.add(
          stream == null
              ? new StreamView(s.streamId(), BigInteger.ZERO, advertised(BigInteger.ZERO, a))
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
    return advertised(received, new Account(account.received(), account.limit()));
  }

  private static BigInteger advertised(BigInteger received, Account a) {
    if (a.limit == null) {
      return maxUint64;
    }
    BigInteger room = a.limit.subtract(a.received).max(BigInteger.ZERO);
    return received.add(room).min(maxUint64);
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
                new Change(m.account, m.received, m.fulfilled, m.rejected, m.source, m.dataBytes)));
    BatchResult r =
        new BatchResult(
            List.copyOf(batch.verdicts),
            List.copyOf(batch.credits),
            Map.copyOf(batch.accountCredits),
            List.copyOf(batch.kept),
            changes,
            Set.copyOf(batch.streamsChanged));
    batch = new Batch();
    return r;
  }

  /** Everything the model holds now. */
  Snapshot snapshot() {
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
    return new Snapshot(as, cs);
  }

  // ---- mutable state
  // ---------------------------------------------------------------------------------------

  private static final class Account {
    BigInteger received;
    final BigInteger limit;

    Account(BigInteger received, BigInteger limit) {
      this.received = received;
      this.limit = limit;
    }
  }

  private static final class Connection {
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

  private static final class Stream {
    BigInteger received;
    BigInteger receiveMax;
    boolean closed;

    Stream(BigInteger received, BigInteger receiveMax, boolean closed) {
      this.received = received;
      this.receiveMax = receiveMax;
      this.closed = closed;
    }
  }

  private static final class MutableChange {
    final long account;
    BigInteger received = BigInteger.ZERO;
    int fulfilled;
    int rejected;
    String source;
    int dataBytes;

    MutableChange(long account) {
      this.account = account;
    }
  }

  private static final class Batch {
    final List<Verdict> verdicts = new ArrayList<>();
    final List<Credit> credits = new ArrayList<>();
    final Map<Long, BigInteger> accountCredits = new LinkedHashMap<>();
    final List<Kept> kept = new ArrayList<>();
    final Map<Integer, MutableChange> changes = new LinkedHashMap<>();
    final Set<Integer> streamsChanged = new HashSet<>();
  }
}
