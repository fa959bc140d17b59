package dev.inlet.codec.stream;

/**
 * StreamMoney frame, type 0x11 (RFC 0029 section 5.3.8). Assigns a share of the Prepare amount to a
 * stream; each stream gets amount * shares / (sum of shares in the packet).
 *
 * @param streamId the stream the money is for (unsigned 64-bit)
 * @param shares this stream's proportion of the Prepare amount (unsigned 64-bit)
 */
public record StreamMoney(long streamId, long shares) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x11;

  @Override
  public int type() {
    return typeCode;
  }
}
