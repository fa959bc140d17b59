package dev.inlet.ledger;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the ledger holds about the accounts, connections and streams a batch of packets touches, read under the
 * batch's row locks. {@link BatchDecider} applies the packets to it in order, so each packet sees the ones before
 * it. Amounts are unsigned 64-bit integers in longs.
 */
public final class LedgerState {
  final Map<Long, AccountState> accounts = new HashMap<>();
  final Map<ByteBuffer, ConnectionState> connections = new HashMap<>();
  final Map<StreamKey, StreamState> streams = new HashMap<>();
  final Map<TransferKey, Long> transfers = new HashMap<>();
  final Set<DataKey> data = new HashSet<>();

  /** An account: total ever credited and its receive limit (or null). */
  public void account(long id, long received, Long receiveLimit) {
    accounts.put(id, new AccountState(received, receiveLimit));
  }

  /** A connection's totals and whether it is closed. */
  public void connection(byte[] id, long totalReceived, boolean closed, int dataBytes) {
    connections.put(ByteBuffer.wrap(id), new ConnectionState(totalReceived, closed, dataBytes));
  }

  /** A stream of a connection. */
  public void stream(byte[] connectionId, long streamId, long received, long receiveMax, boolean closed) {
    streams.put(new StreamKey(ByteBuffer.wrap(connectionId), streamId),
        new StreamState(received, receiveMax, closed));
  }

  /** A credited packet: its sequence on the connection and its amount. */
  public void transfer(byte[] connectionId, long sequence, long amount) {
    transfers.put(new TransferKey(ByteBuffer.wrap(connectionId), sequence), amount);
  }

  /** A {@code StreamData} chunk already kept. */
  public void data(byte[] connectionId, long streamId, long offset) {
    data.add(new DataKey(ByteBuffer.wrap(connectionId), streamId, offset));
  }

  record StreamKey(ByteBuffer connection, long streamId) {}

  record TransferKey(ByteBuffer connection, long sequence) {}

  record DataKey(ByteBuffer connection, long streamId, long offset) {}

  static final class AccountState {
    long received;
    final Long receiveLimit;

    AccountState(long received, Long receiveLimit) {
      this.received = received;
      this.receiveLimit = receiveLimit;
    }
  }

  static final class ConnectionState {
    long totalReceived;
    boolean closed;
    int dataBytes;

    ConnectionState(long totalReceived, boolean closed, int dataBytes) {
      this.totalReceived = totalReceived;
      this.closed = closed;
      this.dataBytes = dataBytes;
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
