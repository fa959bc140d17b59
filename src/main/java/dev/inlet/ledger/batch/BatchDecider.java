package dev.inlet.ledger.batch;

import dev.inlet.ledger.ConnectionLimits;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketOutcome.StreamTotals;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.DataChunk;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.batch.BatchChanges.ConnectionChange;
import dev.inlet.ledger.batch.BatchChanges.KeptData;
import dev.inlet.ledger.batch.BatchChanges.PacketCredit;
import dev.inlet.ledger.batch.BatchChanges.PaymentReceived;
import dev.inlet.ledger.batch.LedgerState.AccountState;
import dev.inlet.ledger.batch.LedgerState.ConnectionState;
import dev.inlet.ledger.batch.LedgerState.DataKey;
import dev.inlet.ledger.batch.LedgerState.InvoiceState;
import dev.inlet.ledger.batch.LedgerState.PacketKey;
import dev.inlet.ledger.batch.LedgerState.StreamState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ledger's rules, applied to a batch of packets in order against the state read under the
 * batch's locks or kept by {@link LedgerCache} (RFC 0029 §4.4–4.6 for the STREAM limits). Pure: it
 * decides every packet's {@link Outcome} and collects what the batch changes, so the database sees
 * a handful of set-based statements per batch instead of several per packet; before returning it
 * checks the decided batch ({@link BatchInvariants}).
 *
 * <p>Per packet, in this order: a retry — a packet the receiver would fulfil, on a credited
 * sequence with the same amount — is fulfilled again and credits nothing ({@link
 * Outcome#DUPLICATE}), even on a connection closed since (by that packet itself or a later one):
 * the connector retries a Prepare whose Fulfill it lost, and a Reject would tell the sender the
 * money did not arrive while the receiver holds it. Otherwise a closed connection takes nothing
 * ({@link Outcome#CONNECTION_CLOSED}, also for a credited sequence with another amount: the
 * connection is over, and its Reject carries {@code ConnectionClose}, which a reuse's would not); a
 * packet the receiver already declined is only counted; a credited sequence with another amount is
 * a reuse; then an invoice the packet pays must still take money (pending or processing, not past
 * its expiry), no account, connection or stream total may pass 2^64-1, the account's receive limit
 * must hold, a packet with money may not take its connection past the connection's most ({@link
 * ConnectionLimits}, {@link Outcome#CONNECTION_LIMIT}), the invoice's received amount may not pass
 * its amount (never overpaid), no money may go to a stream the sender closed, and StreamData must
 * stay within the connection's bound (else the connection closes).
 *
 * <p>Only money is credited, so only a non-zero amount is checked against, or recorded as, a
 * credited sequence: a zero-amount packet on a credited sequence is fulfilled like any other (it
 * credits nothing; its frames are recorded) when the other rules allow.
 */
public final class BatchDecider {
  /** 2^64-1 as the long holding its unsigned bits. */
  static final long maxUint64 = -1L;

  private final int maxDataBytesPerConnection;
  private final ConnectionLimits connectionLimits;

  /**
   * @param maxDataBytesPerConnection StreamData bytes a connection may keep ({@code
   *     ConnectionMaxData})
   */
  public BatchDecider(int maxDataBytesPerConnection) {
    this(maxDataBytesPerConnection, ConnectionLimits.none);
  }

  /**
   * As above, with the most a connection may receive in all: past it a packet is {@link
   * Outcome#CONNECTION_LIMIT}, and streams advertise no more than the connection's room.
   */
  public BatchDecider(int maxDataBytesPerConnection, ConnectionLimits connectionLimits) {
    this.maxDataBytesPerConnection = maxDataBytesPerConnection;
    this.connectionLimits = connectionLimits;
  }

  /**
   * Decides {@code packets} in order, updating {@code state} as it goes.
   *
   * @param state every account and connection of the batch, and their known streams, credited
   *     packets and data
   * @param changes empty: collects what the batch changes
   * @param now the batch's time: an invoice expiring at or before it takes no money
   * @return one outcome per packet, same order
   * @throws InvariantViolation when the state lacks a packet's account or connection, or the
   *     decided batch breaks a rule of money ({@link BatchInvariants}): a bug, not input; nothing
   *     of the batch may be written
   */
  public List<PacketOutcome> decide(
      List<PacketRecord> packets, LedgerState state, BatchChanges changes, Instant now) {
    List<PacketOutcome> outcomes = new ArrayList<>(packets.size());
    for (PacketRecord p : packets) {
      outcomes.add(decide(p, state, changes, now));
    }
    BatchInvariants.checkDecided(packets, outcomes, changes);
    InvoiceHolds.assign(state, changes);
    paymentsReceived(state, changes);
    return outcomes;
  }

  /**
   * One {@code payment.received} per connection credited on a merchant's account, with the totals
   * after the batch, by ascending connection id: rendered here rather than by the writing
   * statement, which then inserts them as they are (building them there cost its backend more than
   * all the rest of the events' part, docs/performance.md "Session 16").
   */
  private static void paymentsReceived(LedgerState state, BatchChanges changes) {
    for (Map.Entry<ByteBuffer, ConnectionChange> e : changes.connections.entrySet()) {
      ConnectionChange ch = e.getValue();
      AccountState account = state.accounts.get(ch.accountId());
      if (ch.received == 0 || account.merchantId == 0) {
        continue;
      }
      ConnectionState connection = state.connections.get(e.getKey());
      changes.paymentsReceived.add(
          new PaymentReceived(
              e.getKey().array(),
              account.merchantId,
              account.name,
              ch.invoiceId() == 0 ? null : state.invoices.get(ch.invoiceId()).publicId,
              ch.received,
              connection.totalReceived,
              connection.sourceAddress));
    }
    changes.paymentsReceived.sort(
        (a, b) -> Arrays.compareUnsigned(a.connectionId(), b.connectionId()));
  }

  private PacketOutcome decide(
      PacketRecord p, LedgerState state, BatchChanges changes, Instant now) {
    ByteBuffer key = ByteBuffer.wrap(p.connectionId());
    AccountState account = state.accounts.get(p.accountId());
    ConnectionState connection = state.connections.get(key);
    if (account == null || connection == null) {
      throw new InvariantViolation("batch state lacks the account or connection of a packet");
    }
    InvoiceState invoice = null;
    if (p.invoiceId() != 0) {
      invoice = state.invoices.get(p.invoiceId());
      if (invoice == null || invoice.accountId != p.accountId()) {
        throw new InvariantViolation("batch state lacks the invoice of a packet, or its account");
      }
    }
    ConnectionChange change =
        changes.connections.computeIfAbsent(
            key, k -> new ConnectionChange(p.accountId(), p.invoiceId(), connection.version));
    if (p.sourceAddress() != null) {
      change.sourceAddress = p.sourceAddress();
      connection.sourceAddress = p.sourceAddress();
    }
    int newBytes = 0;
    Outcome outcome = null;
    Long credited =
        p.fulfillable() && p.amount() != 0
            ? state.credited.get(new PacketKey(key, p.sequence()))
            : null;
    if (credited != null && credited == p.amount()) {
      // Before the closed check: a retry of a packet that closed the connection (or came before the
      // close) is fulfilled again, as any retry.
      outcome = Outcome.DUPLICATE;
    } else if (connection.closed) {
      outcome = Outcome.CONNECTION_CLOSED;
    } else if (!p.fulfillable()) {
      outcome = Outcome.REJECTED;
    } else if (credited != null) {
      outcome = Outcome.SEQUENCE_REUSED;
    } else if (invoice != null && p.amount() != 0 && !invoice.open(now)) {
      // Only money is refused: a payer's frames alone (closing its stream, a limit for a refund
      // Inlet sends back on this connection) keep the connection open.
      outcome = Outcome.INVOICE_CLOSED;
    } else if (overflows(account.received, p.amount())
        || overflows(connection.totalReceived, p.amount())) {
      outcome = Outcome.OVERFLOW;
    } else if (account.receiveLimit != null
        && Long.compareUnsigned(account.received + p.amount(), account.receiveLimit) > 0) {
      outcome = Outcome.LIMIT_EXCEEDED;
    } else if (p.amount() != 0
        && Long.compareUnsigned(
                connection.totalReceived + p.amount(), connectionLimits.maxAmount(p.accountId()))
            > 0) {
      outcome = Outcome.CONNECTION_LIMIT;
    } else if (invoice != null && Long.compareUnsigned(p.amount(), invoice.remaining()) > 0) {
      outcome = Outcome.INVOICE_EXCEEDED;
    } else {
      outcome = streamRule(p, connection);
      if (outcome == null) {
        newBytes = newDataBytes(p, key, state);
        if (connection.dataBytes + newBytes > maxDataBytesPerConnection) {
          outcome = Outcome.DATA_LIMIT;
        }
      }
    }
    if (outcome != null) {
      if (outcome != Outcome.DUPLICATE) {
        change.rejected++;
        // Past ConnectionMaxData is a FlowControlError: it closes the connection (RFC 0029 §4.5).
        if (p.closeConnection() || outcome == Outcome.DATA_LIMIT) {
          connection.closed = true;
          change.closes = true;
        }
      }
      return new PacketOutcome(outcome, totals(p, connection, account, invoice, now));
    }
    credit(p, key, state, changes, account, invoice, connection, change, newBytes, now);
    return new PacketOutcome(Outcome.FULFILLED, totals(p, connection, account, invoice, now));
  }

  /** What the connection may still receive, unsigned 64-bit: 2^64-1 without a limit. */
  private long connectionRoom(long accountId, ConnectionState connection) {
    long max = connectionLimits.maxAmount(accountId);
    if (max == maxUint64) {
      return maxUint64;
    }
    return Long.compareUnsigned(max, connection.totalReceived) > 0
        ? max - connection.totalReceived
        : 0;
  }

  private static Outcome streamRule(PacketRecord p, ConnectionState connection) {
    for (StreamCredit s : p.streams()) {
      StreamState stream = connection.streams.get(s.streamId());
      if (stream == null) {
        continue;
      }
      if (stream.closed && s.amount() != 0) {
        return Outcome.STREAM_CLOSED;
      }
      if (overflows(stream.received, s.amount())) {
        return Outcome.OVERFLOW;
      }
    }
    return null;
  }

  /**
   * Bytes of the packet's chunks not kept yet; a chunk the packet carries twice is kept once, so
   * counted once.
   */
  private static int newDataBytes(PacketRecord p, ByteBuffer key, LedgerState state) {
    if (p.data().isEmpty()) {
      return 0;
    }
    Set<DataKey> counted = new HashSet<>();
    int bytes = 0;
    for (DataChunk d : p.data()) {
      DataKey k = new DataKey(key, d.streamId(), d.offset());
      if (!state.data.contains(k) && counted.add(k)) {
        bytes += d.data().length;
      }
    }
    return bytes;
  }

  private void credit(
      PacketRecord p,
      ByteBuffer key,
      LedgerState state,
      BatchChanges changes,
      AccountState account,
      InvoiceState invoice,
      ConnectionState connection,
      ConnectionChange change,
      int newBytes,
      Instant now) {
    long amount = p.amount();
    if (invoice != null) {
      invoice.received += amount;
    }
    if (amount != 0) {
      state.credited.put(new PacketKey(key, p.sequence()), amount);
      changes.packets.add(new PacketCredit(p.connectionId(), p.sequence(), amount, p.accountId()));
      account.received += amount;
      changes.credits.computeIfAbsent(p.accountId(), id -> new long[1])[0] += amount;
    }
    connection.totalReceived += amount;
    connection.dataBytes += newBytes;
    change.received += amount;
    change.fulfilled++;
    change.dataBytes += newBytes;
    if (p.closeConnection()) {
      connection.closed = true;
      change.closes = true;
    }
    if (!p.streams().isEmpty()) {
      changes.streams.put(key, connection.streams);
    }
    for (StreamCredit s : p.streams()) {
      StreamState stream =
          connection.streams.computeIfAbsent(s.streamId(), k -> new StreamState(0, 0, false));
      stream.received += s.amount();
      // An invoice's remaining amount shrinks as any of its connections pays: its streams advertise
      // what is left now. An account's limit is fixed, so what a stream was offered stays offered.
      long room = connectionRoom(p.accountId(), connection);
      stream.receiveMax =
          invoice != null
              ? receiveMax(stream.received, account, invoice, now, room)
              : unsignedMax(
                  stream.receiveMax, receiveMax(stream.received, account, null, now, room));
      stream.closed |= s.close();
    }
    for (DataChunk d : p.data()) {
      if (state.data.add(new DataKey(key, d.streamId(), d.offset()))) {
        changes.data.add(new KeptData(p.connectionId(), d));
      }
    }
  }

  /** Each stream of the packet with its totals now: stored, or as a new stream would start. */
  private List<StreamTotals> totals(
      PacketRecord p,
      ConnectionState connection,
      AccountState account,
      InvoiceState invoice,
      Instant now) {
    List<StreamTotals> totals = new ArrayList<>(p.streams().size());
    long room = connectionRoom(p.accountId(), connection);
    for (StreamCredit s : p.streams()) {
      StreamState stream = connection.streams.get(s.streamId());
      long received = stream != null ? stream.received : 0;
      long max =
          stream != null && invoice == null
              ? stream.receiveMax
              : receiveMax(received, account, invoice, now, room);
      totals.add(new StreamTotals(s.streamId(), received, max));
    }
    return totals;
  }

  /**
   * The most a stream may receive in all: what it has plus what the account may still take and, on
   * an invoice's connection, what the invoice may still take (nothing once it no longer takes
   * money), and at most {@code connectionRoom}, saturating at 2^64-1; with no bound, 2^64-1.
   */
  static long receiveMax(
      long streamReceived, AccountState account, InvoiceState invoice, Instant now) {
    return receiveMax(streamReceived, account, invoice, now, maxUint64);
  }

  /** As above, at most {@code connectionRoom} more than the stream has. */
  static long receiveMax(
      long streamReceived,
      AccountState account,
      InvoiceState invoice,
      Instant now,
      long connectionRoom) {
    long room = connectionRoom;
    if (account.receiveLimit != null) {
      long left =
          Long.compareUnsigned(account.receiveLimit, account.received) > 0
              ? account.receiveLimit - account.received
              : 0;
      room = Long.compareUnsigned(left, room) < 0 ? left : room;
    }
    if (invoice != null) {
      long left = invoice.open(now) ? invoice.remaining() : 0;
      room = Long.compareUnsigned(left, room) < 0 ? left : room;
    }
    if (room == maxUint64) {
      return maxUint64;
    }
    return overflows(streamReceived, room) ? maxUint64 : streamReceived + room;
  }

  static boolean overflows(long total, long amount) {
    return Long.compareUnsigned(total + amount, total) < 0;
  }

  private static long unsignedMax(long a, long b) {
    return Long.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
