package dev.inlet.codec.stream;

/**
 * A STREAM error code (RFC 0029 section 5.4), sent in {@link ConnectionClose} and {@link
 * StreamClose}. Any byte value decodes: codes this version does not name are kept as they are, so
 * that a newer peer's close is still understood as a close.
 *
 * @param code the UInt8 value, 0..255
 * @throws IllegalArgumentException if {@code code} is outside 0..255
 */
public record StreamErrorCode(int code) {
  /** 0x01: the stream or connection closed normally. */
  public static final StreamErrorCode NO_ERROR = new StreamErrorCode(0x01);

  /** 0x02: the endpoint encountered an unexpected error. */
  public static final StreamErrorCode INTERNAL_ERROR = new StreamErrorCode(0x02);

  /** 0x03: the endpoint is temporarily overloaded. */
  public static final StreamErrorCode ENDPOINT_BUSY = new StreamErrorCode(0x03);

  /** 0x04: the other endpoint exceeded the advertised flow control limits. */
  public static final StreamErrorCode FLOW_CONTROL_ERROR = new StreamErrorCode(0x04);

  /** 0x05: the other endpoint opened more streams than allowed. */
  public static final StreamErrorCode STREAM_ID_ERROR = new StreamErrorCode(0x05);

  /** 0x06: the other endpoint sent frames for a stream that is already closed. */
  public static final StreamErrorCode STREAM_STATE_ERROR = new StreamErrorCode(0x06);

  /** 0x07: the other endpoint sent a frame with invalid syntax. */
  public static final StreamErrorCode FRAME_FORMAT_ERROR = new StreamErrorCode(0x07);

  /** 0x08: the other endpoint sent invalid data or otherwise violated the protocol. */
  public static final StreamErrorCode PROTOCOL_VIOLATION = new StreamErrorCode(0x08);

  /** 0x09: the application closed the stream or connection with an error. */
  public static final StreamErrorCode APPLICATION_ERROR = new StreamErrorCode(0x09);

  private static final String[] NAMES = {
    null,
    "NoError",
    "InternalError",
    "EndpointBusy",
    "FlowControlError",
    "StreamIdError",
    "StreamStateError",
    "FrameFormatError",
    "ProtocolViolation",
    "ApplicationError"
  };

  public StreamErrorCode {
    if (code < 0 || code > 0xff) {
      throw new IllegalArgumentException("STREAM error code must be 0..255, was " + code);
    }
  }

  /** The RFC name (e.g. {@code FlowControlError}), or {@code Unknown(0xNN)} for unnamed codes. */
  public String name() {
    return code < NAMES.length && NAMES[code] != null
        ? NAMES[code]
        : String.format("Unknown(0x%02x)", code);
  }

  @Override
  public String toString() {
    return name();
  }
}
