package dev.inlet.ledger;

import java.util.List;

/**
 * The ledger's answer for one packet.
 *
 * @param outcome what happened
 * @param streams each stream of the packet with its totals after it (empty when the ledger was
 *     unavailable)
 */
public record PacketOutcome(Outcome outcome, List<StreamTotals> streams) {

  /** An outcome without stream totals. */
  public static PacketOutcome of(Outcome outcome) {
    return new PacketOutcome(outcome, List.of());
  }

  /**
   * A stream's totals, as {@code StreamMaxMoney} advertises them and receipts sign them (RFC 0029
   * §5.3.9).
   *
   * @param streamId stream id
   * @param received total received on the stream, unsigned 64-bit
   * @param receiveMax the most the stream will receive in all, unsigned 64-bit
   */
  public record StreamTotals(long streamId, long received, long receiveMax) {}
}
