package dev.inlet.codec.stream;

import java.util.Objects;

/**
 * StreamClose frame, type 0x10 (RFC 0029 section 5.3.7): the sender closed one stream.
 *
 * @param streamId the closed stream (unsigned 64-bit)
 * @param errorCode why, {@link StreamErrorCode#NO_ERROR} for a normal close
 * @param message human-readable UTF-8 diagnostic, may be empty
 */
public record StreamClose(long streamId, StreamErrorCode errorCode, String message)
    implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x10;

  public StreamClose {
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public int type() {
    return typeCode;
  }
}
