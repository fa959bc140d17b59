package dev.inlet.ledger.batch;

import dev.inlet.ledger.Outcome;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The plain values {@link LedgerModel}, {@link DeciderAdapter} and the rest of {@link
 * BatchRulesModelTest} share: packets, verdicts, writes and stored rows. Amounts are unsigned, as
 * {@link BigInteger}s.
 */
interface ModelValues {
  /**
   * A packet as the ledger gets it: the connection by number, the invoice it pays (0: none),
   * amounts unsigned.
   */
  record Packet(
      int connection,
      long account,
      long invoice,
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
      long invoice,
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
      Set<Integer> streamsChanged,
      Map<Long, BigInteger> invoiceReceived) {}

  /** A stream's stored totals. */
  record StreamRow(BigInteger received, BigInteger receiveMax, boolean closed) {}

  /** An account's stored totals. */
  record AccountRow(BigInteger received, BigInteger limit) {}

  /**
   * An invoice as stored: its account, amount and received so far, whether it is open (pending or
   * processing: not completed, expired or cancelled) and its expiry (seconds since the epoch).
   */
  record InvoiceRow(
      long account, BigInteger amount, BigInteger received, boolean open, long expiresAt) {}

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
      TreeMap<Long, AccountRow> accounts,
      TreeMap<Long, InvoiceRow> invoices,
      TreeMap<Integer, ConnectionRow> connections) {}
}
