package dev.inlet.codec.stream;

import java.util.Arrays;
import java.util.Objects;

/**
 * StreamData frame, type 0x14 (RFC 0029 section 5.3.11): a segment of a stream's byte stream.
 *
 * @param streamId the stream (unsigned 64-bit)
 * @param offset position of the first byte of {@code data} in the stream (unsigned 64-bit)
 * @param data the bytes; not copied
 */
public record StreamData(long streamId, long offset, byte[] data) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x14;

  public StreamData {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public int type() {
    return typeCode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamData d
        && streamId == d.streamId
        && offset == d.offset
        && Arrays.equals(data, d.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Long.hashCode(streamId) + Long.hashCode(offset)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "StreamData[streamId="
        + Long.toUnsignedString(streamId)
        + ", offset="
        + Long.toUnsignedString(offset)
        + ", data="
        + data.length
        + " bytes]";
  }
}
