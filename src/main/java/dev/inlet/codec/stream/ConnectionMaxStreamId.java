package dev.inlet.codec.stream;

/**
 * ConnectionMaxStreamId frame, type 0x05 (RFC 0029 section 5.3.5). Advertises the largest stream id
 * the sender of the frame will accept.
 *
 * @param maxStreamId the largest stream id the endpoint is willing to accept (unsigned 64-bit)
 */
public record ConnectionMaxStreamId(long maxStreamId) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x05;

  @Override
  public int type() {
    return typeCode;
  }
}
