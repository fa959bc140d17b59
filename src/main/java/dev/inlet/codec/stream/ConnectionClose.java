package dev.inlet.codec.stream;

import java.util.Objects;

/**
 * ConnectionClose frame, type 0x01 (RFC 0029 section 5.3.1): the sender closed the connection.
 *
 * @param errorCode why, {@link StreamErrorCode#NO_ERROR} for a normal close
 * @param message human-readable UTF-8 diagnostic, may be empty
 */
public record ConnectionClose(StreamErrorCode errorCode, String message) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x01;

  public ConnectionClose {
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public int type() {
    return typeCode;
  }
}
