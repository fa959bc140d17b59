package dev.inlet.codec.stream;

/**
 * ConnectionStreamIdBlocked frame, type 0x06 (RFC 0029 section 5.3.6). Says the sender of the frame
 * wants to open streams beyond the advertised limit.
 *
 * @param maxStreamId the largest stream id the endpoint wishes to open (unsigned 64-bit)
 */
public record ConnectionStreamIdBlocked(long maxStreamId) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x06;

  @Override
  public int type() {
    return typeCode;
  }
}
