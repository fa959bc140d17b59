package dev.inlet.codec.ilp;

/**
 * ILPv4 packet type ids (RFC 0027 "Packet Format"); STREAM packets name the one that carries them.
 */
public enum IlpPacketType {
  PREPARE(12),
  FULFILL(13),
  REJECT(14);

  private final int code;

  IlpPacketType(int code) {
    this.code = code;
  }

  /** The type id on the wire: 12, 13 or 14. */
  public int code() {
    return code;
  }

  /** The type with id {@code code}, or null if there is none. */
  public static IlpPacketType fromCode(int code) {
    return switch (code) {
      case 12 -> PREPARE;
      case 13 -> FULFILL;
      case 14 -> REJECT;
      default -> null;
    };
  }
}
