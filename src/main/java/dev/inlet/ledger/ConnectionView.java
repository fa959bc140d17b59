package dev.inlet.ledger;

import java.time.Instant;
import java.util.List;

/**
 * A STREAM connection as the admin API shows it.
 *
 * @param id connection id, hex
 * @param openedAt when its first packet arrived
 * @param sourceAddress the sender's ILP address from {@code ConnectionNewAddress}, or null
 * @param totalReceived unsigned 64-bit, smallest unit
 * @param packetsFulfilled packets fulfilled
 * @param packetsRejected packets rejected after decryption
 * @param lastPacketAt time of the last packet
 * @param closed whether a {@code ConnectionClose} (or a violation) closed it
 * @param streams its streams
 */
public record ConnectionView(
    String id,
    Instant openedAt,
    String sourceAddress,
    long totalReceived,
    long packetsFulfilled,
    long packetsRejected,
    Instant lastPacketAt,
    boolean closed,
    List<StreamView> streams) {

  /**
   * A stream of a connection.
   *
   * @param streamId stream id
   * @param received unsigned 64-bit total
   * @param receiveMax unsigned 64-bit limit advertised in {@code StreamMaxMoney}
   * @param closed whether the sender closed it
   */
  public record StreamView(long streamId, long received, long receiveMax, boolean closed) {}
}
