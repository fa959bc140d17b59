package dev.inlet.codec.stream;

/**
 * ConnectionMaxData frame, type 0x03 (RFC 0029 section 5.3.3). Advertises the total number of data
 * bytes the sender of the frame will accept on the connection.
 *
 * @param maxOffset total bytes the endpoint is willing to receive on this connection (unsigned
 *     64-bit)
 */
public record ConnectionMaxData(long maxOffset) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x03;

  @Override
  public int type() {
    return typeCode;
  }
}
