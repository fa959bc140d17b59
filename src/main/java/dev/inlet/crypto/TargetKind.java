package dev.inlet.crypto;

/**
 * What a connection pays into. Each kind has a fixed one-byte code inside connection tokens, so
 * reordering or adding constants never changes the meaning of tokens already handed out.
 */
public enum TargetKind {
  ACCOUNT(1),
  INVOICE(2),
  /** A voucher's pointer: the connection pays its peer out of the voucher. */
  VOUCHER(3),
  /** A pull-payment mandate's pointer (RFC 0036): the connection pays its peer. */
  MANDATE(4);

  private final byte code;

  TargetKind(int code) {
    this.code = (byte) code;
  }

  /** Whether Inlet pays the peer on such a connection instead of being paid. */
  public boolean paysOut() {
    return this == VOUCHER || this == MANDATE;
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
