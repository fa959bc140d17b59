package dev.inlet.codec.stream;

/**
 * StreamMoneyBlocked frame, type 0x13 (RFC 0029 section 5.3.10). Says the sender of the frame has
 * more money to send on a stream than the other side allows, in its own asset's smallest unit. A
 * {@code sendMax} too large for 64 bits decodes as the maximum UInt64 (RFC 0029 section 5.1.4).
 *
 * @param streamId the blocked stream (unsigned 64-bit)
 * @param sendMax total the endpoint wants to send on the stream (unsigned 64-bit)
 * @param totalSent total the endpoint has sent on the stream so far (unsigned 64-bit)
 */
public record StreamMoneyBlocked(long streamId, long sendMax, long totalSent)
    implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x13;

  @Override
  public int type() {
    return typeCode;
  }
}
