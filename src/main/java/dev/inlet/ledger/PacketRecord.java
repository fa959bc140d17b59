package dev.inlet.ledger;

import java.time.Instant;
import java.util.List;

/**
 * One decrypted STREAM Prepare, as the ledger applies it (RFC 0029 §5).
 *
 * @param connectionId connection id sealed in the connection token
 * @param accountId receiving account; 0 for an invoice's connection until the ledger has found the
 *     invoice's account ({@link #withAccount})
 * @param invoiceId the invoice the connection pays (its database id), or 0 for none
 * @param sourceAddress the sender's address from {@code ConnectionNewAddress}, or null
 * @param sequence STREAM sequence, 1..2^31
 * @param amount the ILP Prepare amount, unsigned 64-bit, asset's smallest unit
 * @param expiresAt the Prepare's expiry: the ledger refuses to credit a packet too close to it
 * @param fulfillable whether the receiver would fulfil it, every STREAM rule met (false: the ledger
 *     records the rejection only)
 * @param closeConnection close the connection (ConnectionClose from the sender, or a protocol
 *     violation)
 * @param streams each stream named by {@code StreamMoney} or {@code StreamClose}, with its share of
 *     the amount
 * @param data {@code StreamData} chunks to keep with the connection
 */
public record PacketRecord(
    byte[] connectionId,
    long accountId,
    long invoiceId,
    String sourceAddress,
    long sequence,
    long amount,
    Instant expiresAt,
    boolean fulfillable,
    boolean closeConnection,
    List<StreamCredit> streams,
    List<DataChunk> data) {

  /** This packet, credited to {@code account}: the account of the invoice it pays. */
  public PacketRecord withAccount(long account) {
    return new PacketRecord(
        connectionId,
        account,
        invoiceId,
        sourceAddress,
        sequence,
        amount,
        expiresAt,
        fulfillable,
        closeConnection,
        streams,
        data);
  }

  /**
   * A stream's part of a packet.
   *
   * @param streamId stream id (odd: opened by the sender)
   * @param amount this stream's share, unsigned 64-bit
   * @param close whether the sender closed the stream ({@code StreamClose})
   */
  public record StreamCredit(long streamId, long amount, boolean close) {}

  /**
   * A {@code StreamData} frame's bytes.
   *
   * @param streamId stream id
   * @param offset position in the stream's bytes
   * @param data the bytes
   */
  public record DataChunk(long streamId, long offset, byte[] data) {}
}
