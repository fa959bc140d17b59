package dev.inlet.crypto;

/**
 * What a connection pays into. Each kind has a fixed one-byte code inside connection tokens, so
 * reordering or adding constants never changes the meaning of tokens already handed out.
 */
public enum TargetKind {
  ACCOUNT(1),
  INVOICE(2),
  VOUCHER(3);

  private final byte code;

  TargetKind(int code) {
    this.code = (byte) code;
  }

  byte code() {
    return code;
  }

  /**
   * @return the kind with this code, or {@code null} if none has it
   */
  static TargetKind fromCode(byte code) {
    for (TargetKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    return null;
  }
}
