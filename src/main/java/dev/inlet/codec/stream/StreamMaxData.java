package dev.inlet.codec.stream;

/**
 * StreamMaxData frame, type 0x15 (RFC 0029 section 5.3.12). Advertises how many data bytes the
 * sender of the frame will accept on a stream.
 *
 * @param streamId the stream this limit is for (unsigned 64-bit)
 * @param maxOffset total bytes the endpoint is willing to receive on the stream (unsigned 64-bit)
 */
public record StreamMaxData(long streamId, long maxOffset) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x15;

  @Override
  public int type() {
    return typeCode;
  }
}
