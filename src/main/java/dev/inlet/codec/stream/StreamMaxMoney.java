package dev.inlet.codec.stream;

/**
 * StreamMaxMoney frame, type 0x12 (RFC 0029 section 5.3.9). Advertises how much money the sender of
 * the frame will accept on a stream, in its own asset's smallest unit. A {@code receiveMax} too
 * large for 64 bits decodes as the maximum UInt64 (RFC 0029 section 5.1.4).
 *
 * @param streamId the stream this limit is for (unsigned 64-bit)
 * @param receiveMax total the endpoint is willing to receive on the stream (unsigned 64-bit)
 * @param totalReceived total the endpoint has received on the stream so far (unsigned 64-bit)
 */
public record StreamMaxMoney(long streamId, long receiveMax, long totalReceived)
    implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x12;

  @Override
  public int type() {
    return typeCode;
  }
}
