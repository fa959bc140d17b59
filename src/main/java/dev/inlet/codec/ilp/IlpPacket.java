package dev.inlet.codec.ilp;

/**
 * An ILPv4 packet (RFC 0027): {@link IlpPrepare}, {@link IlpFulfill} or {@link IlpReject}. Byte
 * arrays held by packets are not copied on the way in or out (this is the hot path); treat them as
 * immutable.
 */
public sealed interface IlpPacket permits IlpPrepare, IlpFulfill, IlpReject {
  /**
   * Largest {@code data} field accepted or produced, in bytes. RFC 0027 leaves it open; the JS
   * reference STREAM implementation never sends more, and a receiver bounding it bounds its work.
   */
  int maxDataBytes = 32767;

  /** Which of the three packet types this is. */
  IlpPacketType type();

  /** End-to-end data (for STREAM: the encrypted STREAM packet); at most {@link #maxDataBytes}. */
  byte[] data();
}
