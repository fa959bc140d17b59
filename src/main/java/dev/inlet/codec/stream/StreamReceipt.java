package dev.inlet.codec.stream;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * StreamReceipt frame, type 0x17 (RFC 0029 section 5.3.15): proof of the total received on a
 * stream, in the RFC 0039 format, which this codec carries without interpreting.
 *
 * @param streamId the stream (unsigned 64-bit)
 * @param receipt the encoded receipt (58 bytes for version 1); not copied
 */
public record StreamReceipt(long streamId, byte[] receipt) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x17;

  public StreamReceipt {
    Objects.requireNonNull(receipt, "receipt");
  }

  @Override
  public int type() {
    return typeCode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamReceipt r
        && streamId == r.streamId
        && Arrays.equals(receipt, r.receipt);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(streamId) + Arrays.hashCode(receipt);
  }

  @Override
  public String toString() {
    return "StreamReceipt[streamId="
        + Long.toUnsignedString(streamId)
        + ", receipt="
        + describe()
        + "]";
  }

  /** The receipt in hex, or just its size when too long to read at a glance. */
  private String describe() {
    return receipt.length <= 64 ? HexFormat.of().formatHex(receipt) : receipt.length + " bytes";
  }
}
