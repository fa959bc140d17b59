package dev.inlet.ledger.batch;

import dev.inlet.ledger.PacketRecord.DataChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a decided batch changes in the ledger, filled by {@link BatchDecider}: the packets it
 * credits (posted as one transfer per account), each connection's changes, the streams of each
 * connection whose streams changed (all of them: they are written whole, in the connection's row),
 * each account's credit (the connector's account is debited their sum) and the {@code StreamData}
 * to keep. Amounts are unsigned 64-bit integers in longs, in the asset's smallest unit. The ledger
 * adapter writes it in one statement.
 */
public final class BatchChanges {
  final List<PacketCredit> packets = new ArrayList<>();
  final Map<ByteBuffer, ConnectionChange> connections = new LinkedHashMap<>();

  /** Per connection whose streams changed, all its streams by id (the decider's live map). */
  final Map<ByteBuffer, Map<Long, LedgerState.StreamState>> streams = new LinkedHashMap<>();

  /**
   * Per account, its credit in this batch (a one-element array: summed in place without boxing).
   */
  final Map<Long, long[]> credits = new LinkedHashMap<>();

  final List<KeptData> data = new ArrayList<>();

  final List<PaymentReceived> paymentsReceived = new ArrayList<>();

  /** The packets credited, in order (each with a non-zero amount). */
  public List<PacketCredit> packets() {
    return packets;
  }

  /** Per connection, its changes, in first-seen order. */
  public Map<ByteBuffer, ConnectionChange> connections() {
    return connections;
  }

  /**
   * Per connection whose streams changed in the batch, every stream it has after the batch, by
   * ascending stream id.
   */
  public Map<ByteBuffer, List<StreamRow>> streams() {
    Map<ByteBuffer, List<StreamRow>> m = new LinkedHashMap<>();
    streams.forEach(
        (connection, byId) -> {
          List<StreamRow> rows = new ArrayList<>(byId.size());
          byId.forEach((id, s) -> rows.add(new StreamRow(id, s.received, s.receiveMax, s.closed)));
          rows.sort((a, b) -> Long.compare(a.streamId(), b.streamId()));
          m.put(connection, rows);
        });
    return m;
  }

  /** Per receiving account, the amount credited in this batch (unsigned 64-bit, non-zero). */
  public Map<Long, Long> credits() {
    Map<Long, Long> m = new LinkedHashMap<>();
    credits.forEach((id, sum) -> m.put(id, sum[0]));
    return m;
  }

  /** {@code StreamData} chunks to keep, each with its connection, in order. */
  public List<KeptData> data() {
    return data;
  }

  /**
   * The batch's {@code payment.received} events: one per connection credited on an account a
   * merchant owns, by ascending connection id (unsigned bytes).
   */
  public List<PaymentReceived> paymentsReceived() {
    return paymentsReceived;
  }

  /**
   * A credited packet.
   *
   * @param connectionId connection
   * @param sequence STREAM sequence
   * @param amount unsigned 64-bit, non-zero
   * @param accountId the account credited
   */
  public record PacketCredit(byte[] connectionId, long sequence, long amount, long accountId) {}

  /**
   * A stream's totals after the batch (ids are positive, at most {@code
   * ReceiverLimits.maxStreamId}).
   *
   * @param streamId stream
   * @param received unsigned 64-bit
   * @param receiveMax unsigned 64-bit
   * @param closed whether the sender closed it
   */
  public record StreamRow(long streamId, long received, long receiveMax, boolean closed) {}

  /**
   * A {@code StreamData} chunk to keep.
   *
   * @param connectionId the connection it came on
   * @param chunk stream, offset and bytes
   */
  public record KeptData(byte[] connectionId, DataChunk chunk) {}

  /**
   * What a {@code payment.received} event shows of a connection credited in the batch.
   *
   * @param connectionId the connection
   * @param merchantId the merchant owning the account (whose event it is)
   * @param account the account's name
   * @param invoice the public id of the invoice the connection pays, or null
   * @param amount credited in the batch, unsigned 64-bit, non-zero
   * @param totalReceived the connection's total after the batch, unsigned 64-bit
   * @param sourceAddress the sender's address from its latest {@code ConnectionNewAddress}, or null
   */
  public record PaymentReceived(
      byte[] connectionId,
      long merchantId,
      String account,
      String invoice,
      long amount,
      long totalReceived,
      String sourceAddress) {}

  /** A connection's changes in the batch. */
  public static final class ConnectionChange {
    private final long accountId;
    private final long invoiceId;
    private final long version;
    long received;
    int fulfilled;
    int rejected;
    String sourceAddress;
    boolean closes;
    int dataBytes;
    boolean held;
    long headroom;

    ConnectionChange(long accountId, long invoiceId, long version) {
      this.accountId = accountId;
      this.invoiceId = invoiceId;
      this.version = version;
    }

    /** The connection's account. */
    public long accountId() {
      return accountId;
    }

    /** The invoice the connection pays, or 0. */
    public long invoiceId() {
      return invoiceId;
    }

    /** The connection's row version the batch was decided on (0: not in the database yet). */
    public long version() {
      return version;
    }

    /** Amount credited, unsigned 64-bit. */
    public long received() {
      return received;
    }

    /** Packets fulfilled (not counting retries). */
    public int fulfilled() {
      return fulfilled;
    }

    /** Packets rejected. */
    public int rejected() {
      return rejected;
    }

    /** The sender's latest {@code ConnectionNewAddress}, or null. */
    public String sourceAddress() {
      return sourceAddress;
    }

    /** Whether the batch closes the connection. */
    public boolean closes() {
      return closes;
    }

    /** StreamData bytes newly kept. */
    public int dataBytes() {
      return dataBytes;
    }

    /**
     * Whether the connection holds its invoice and keeps this batch's credit in its own row, the
     * invoice's row unwritten (db/V8).
     */
    public boolean held() {
      return held;
    }

    /**
     * When the batch makes the connection its invoice's holder: what the invoice has left to take
     * after the batch (unsigned 64-bit, non-zero); 0 otherwise.
     */
    public long headroom() {
      return headroom;
    }
  }
}
