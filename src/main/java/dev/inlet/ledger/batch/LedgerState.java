package dev.inlet.ledger.batch;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the ledger holds about the accounts, invoices, connections and streams a batch of packets
 * touches: read under the batch's row locks, or kept from earlier batches by {@link LedgerCache}.
 * {@link BatchDecider} applies the packets to it in order, so each packet sees the ones before it.
 * Amounts are unsigned 64-bit integers in longs.
 */
public final class LedgerState {
  final Map<Long, AccountState> accounts = new HashMap<>();
  final Map<Long, InvoiceState> invoices;
  final Map<ByteBuffer, ConnectionState> connections;
  final Map<PacketKey, Long> credited = new HashMap<>();
  final Set<DataKey> data = new HashSet<>();

  /** An empty state for one batch read from the database. */
  public LedgerState() {
    this(new HashMap<>(), new HashMap<>());
  }

  LedgerState(Map<ByteBuffer, ConnectionState> connections, Map<Long, InvoiceState> invoices) {
    this.connections = connections;
    this.invoices = invoices;
  }

  /** An account no merchant owns: total ever credited and its receive limit (or null). */
  public void account(long id, long received, Long receiveLimit) {
    account(id, received, receiveLimit, null, 0);
  }

  /**
   * An account: total ever credited, its receive limit (or null), its name and the merchant owning
   * it (0: none), which its {@code payment.received} events show and which never change.
   */
  public void account(long id, long received, Long receiveLimit, String name, long merchantId) {
    accounts.put(id, new AccountState(received, receiveLimit, name, merchantId));
  }

  /**
   * An invoice: its account, amount and received so far (unsigned 64-bit), whether it still takes
   * money (pending or processing), and when it expires; not held by a connection, never shared.
   */
  public void invoice(
      long id, long accountId, long amount, long received, boolean open, Instant expiresAt) {
    invoice(id, accountId, amount, received, open, expiresAt, null, false, null);
  }

  /**
   * As above, with the connection holding it (null: none), whether a second payer released a hold
   * on it once (db/V8), and its public id ({@code inv_…}, shown by {@code payment.received}; null
   * in tests that write no event).
   */
  public void invoice(
      long id,
      long accountId,
      long amount,
      long received,
      boolean open,
      Instant expiresAt,
      byte[] holder,
      boolean shared,
      String publicId) {
    InvoiceState i = new InvoiceState(accountId, amount, received, open, expiresAt, publicId);
    i.holder = holder == null ? null : ByteBuffer.wrap(holder);
    i.shared = shared;
    invoices.put(id, i);
  }

  /**
   * Adds to an invoice's received amount its holder's credits not in its row yet (db/V8), read with
   * the holder's row locked.
   *
   * @throws InvariantViolation when the invoice is not in the state
   */
  public void invoiceHeldCredits(long invoiceId, long amount) {
    InvoiceState i = invoices.get(invoiceId);
    if (i == null) {
      throw new InvariantViolation("invoice " + invoiceId + " not in the batch state");
    }
    i.received += amount;
  }

  /**
   * An invoice's received amount after the packets decided so far, or null when it is not in the
   * state.
   */
  public Long invoiceReceived(long invoiceId) {
    InvoiceState i = invoices.get(invoiceId);
    return i == null ? null : i.received;
  }

  /**
   * A connection's totals, whether it is closed, and its row version (0: not in the database yet;
   * every ledger write of the connection or its streams adds one); no source address known.
   */
  public void connection(
      byte[] id, long totalReceived, boolean closed, int dataBytes, long version) {
    connection(id, totalReceived, closed, dataBytes, version, null);
  }

  /** As above, with the sender's address from its latest {@code ConnectionNewAddress} (or null). */
  public void connection(
      byte[] id,
      long totalReceived,
      boolean closed,
      int dataBytes,
      long version,
      String sourceAddress) {
    ConnectionState c = new ConnectionState(totalReceived, closed, dataBytes, version);
    c.sourceAddress = sourceAddress;
    connections.put(ByteBuffer.wrap(id), c);
  }

  /**
   * A stream of a connection given before by {@link #connection}.
   *
   * @throws InvariantViolation when the connection is unknown
   */
  public void stream(
      byte[] connectionId, long streamId, long received, long receiveMax, boolean closed) {
    ConnectionState c = connections.get(ByteBuffer.wrap(connectionId));
    if (c == null) {
      throw new InvariantViolation("stream of a connection not in the state");
    }
    c.streams.put(streamId, new StreamState(received, receiveMax, closed));
  }

  /**
   * An account's total ever credited, unsigned 64-bit: as read, plus what the packets decided so
   * far credited.
   *
   * @throws InvariantViolation when the account is not in the state
   */
  public long received(long accountId) {
    AccountState a = accounts.get(accountId);
    if (a == null) {
      throw new InvariantViolation("account " + accountId + " not in the batch state");
    }
    return a.received;
  }

  /**
   * A connection's total received as read, plus what the packets decided so far credited it
   * (unsigned 64-bit).
   *
   * @throws InvariantViolation when the connection is not in the state
   */
  public long connectionReceived(byte[] connectionId) {
    ConnectionState c = connections.get(ByteBuffer.wrap(connectionId));
    if (c == null) {
      throw new InvariantViolation("connection not in the batch state");
    }
    return c.totalReceived;
  }

  /** A credited packet: its sequence on the connection and its amount. */
  public void credited(byte[] connectionId, long sequence, long amount) {
    credited.put(new PacketKey(ByteBuffer.wrap(connectionId), sequence), amount);
  }

  /** A {@code StreamData} chunk already kept. */
  public void data(byte[] connectionId, long streamId, long offset) {
    data.add(new DataKey(ByteBuffer.wrap(connectionId), streamId, offset));
  }

  record PacketKey(ByteBuffer connection, long sequence) {}

  record DataKey(ByteBuffer connection, long streamId, long offset) {}

  static final class AccountState {
    long received;
    Long receiveLimit;

    /**
     * Never changed once the account exists (nothing updates them), so a cached one stays right.
     */
    final String name;

    final long merchantId;

    AccountState(long received, Long receiveLimit, String name, long merchantId) {
      this.received = received;
      this.receiveLimit = receiveLimit;
      this.name = name;
      this.merchantId = merchantId;
    }
  }

  static final class InvoiceState {
    final long accountId;
    final long amount;
    long received;

    /** Pending or processing when read (refreshed after each batch that writes the invoice). */
    boolean open;

    final Instant expiresAt;
    final String publicId;

    /**
     * The connection holding it (db/V8): its credits stay in the connection's row, the invoice's
     * row is not written. Null: none.
     */
    ByteBuffer holder;

    /** A second payer released a hold on it once: it is never held again. */
    boolean shared;

    InvoiceState(
        long accountId,
        long amount,
        long received,
        boolean open,
        Instant expiresAt,
        String publicId) {
      this.accountId = accountId;
      this.amount = amount;
      this.received = received;
      this.open = open;
      this.expiresAt = expiresAt;
      this.publicId = publicId;
    }

    /**
     * Whether it takes money at {@code now}: pending or processing when read, not past its expiry,
     * and not completed by a packet decided since.
     */
    boolean open(Instant now) {
      return open && now.isBefore(expiresAt) && Long.compareUnsigned(received, amount) < 0;
    }

    /** What it may still receive, unsigned 64-bit. */
    long remaining() {
      return Long.compareUnsigned(amount, received) > 0 ? amount - received : 0;
    }
  }

  static final class ConnectionState {
    long totalReceived;
    boolean closed;
    int dataBytes;
    long version;

    /** As the connection's row has it after the batches decided so far; null: none. */
    String sourceAddress;

    final Map<Long, StreamState> streams = new HashMap<>(4);

    ConnectionState(long totalReceived, boolean closed, int dataBytes, long version) {
      this.totalReceived = totalReceived;
      this.closed = closed;
      this.dataBytes = dataBytes;
      this.version = version;
    }
  }

  static final class StreamState {
    long received;
    long receiveMax;
    boolean closed;

    StreamState(long received, long receiveMax, boolean closed) {
      this.received = received;
      this.receiveMax = receiveMax;
      this.closed = closed;
    }
  }
}
