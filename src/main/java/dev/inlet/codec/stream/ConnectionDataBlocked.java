package dev.inlet.codec.stream;

/**
 * ConnectionDataBlocked frame, type 0x04 (RFC 0029 section 5.3.4). Says the sender of the frame has
 * more data to send than the connection limit allows.
 *
 * @param maxOffset total bytes the endpoint wants to send (unsigned 64-bit)
 */
public record ConnectionDataBlocked(long maxOffset) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x04;

  @Override
  public int type() {
    return typeCode;
  }
}
