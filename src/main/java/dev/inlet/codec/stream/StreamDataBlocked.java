package dev.inlet.codec.stream;

/**
 * StreamDataBlocked frame, type 0x16 (RFC 0029 section 5.3.13). Says the sender of the frame has
 * more data to send on a stream than the other side allows.
 *
 * @param streamId the blocked stream (unsigned 64-bit)
 * @param maxOffset total bytes the endpoint wants to send on the stream (unsigned 64-bit)
 */
public record StreamDataBlocked(long streamId, long maxOffset) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x16;

  @Override
  public int type() {
    return typeCode;
  }
}
