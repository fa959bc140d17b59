package dev.inlet.stream.sender;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A receipt the receiver sent in a {@code StreamReceipt} frame (RFC 0029 §5.3.15, RFC 0039 format),
 * kept as it arrived: proof of the total the receiver got on the stream, for whoever holds the
 * receipt secret to verify.
 *
 * @param streamId the stream (unsigned 64-bit)
 * @param receipt the encoded receipt (58 bytes for RFC 0039 version 1); not copied
 */
public record StreamReceiptBytes(long streamId, byte[] receipt) {
  @Override
  public boolean equals(Object o) {
    return o instanceof StreamReceiptBytes r
        && streamId == r.streamId
        && Arrays.equals(receipt, r.receipt);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(streamId) + Arrays.hashCode(receipt);
  }

  @Override
  public String toString() {
    return "StreamReceiptBytes[streamId="
        + Long.toUnsignedString(streamId)
        + ", receipt="
        + HexFormat.of().formatHex(receipt)
        + "]";
  }
}
