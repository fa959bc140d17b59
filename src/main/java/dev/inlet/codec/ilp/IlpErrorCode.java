package dev.inlet.codec.ilp;

/**
 * An ILP error code (RFC 0027 "Error Codes"): three IA5 (7-bit ASCII) characters. The first letter
 * is the class: {@code F} final, {@code T} temporary, {@code R} relative. Any three ASCII
 * characters are accepted so that codes defined after RFC 0027 still decode; the constants below
 * are the ones it lists.
 *
 * @param code the three characters, e.g. {@code F99}
 * @throws IllegalArgumentException if {@code code} is not exactly three ASCII characters
 */
public record IlpErrorCode(String code) {
  /** Generic sender error. */
  public static final IlpErrorCode F00_BAD_REQUEST = new IlpErrorCode("F00");

  /** The ILP packet was syntactically invalid. */
  public static final IlpErrorCode F01_INVALID_PACKET = new IlpErrorCode("F01");

  /** No route to the destination. */
  public static final IlpErrorCode F02_UNREACHABLE = new IlpErrorCode("F02");

  /** The amount is invalid (e.g. more precision than the destination supports). */
  public static final IlpErrorCode F03_INVALID_AMOUNT = new IlpErrorCode("F03");

  /** The receiver deemed the amount insufficient. */
  public static final IlpErrorCode F04_INSUFFICIENT_DESTINATION_AMOUNT = new IlpErrorCode("F04");

  /** The receiver generated a different condition and cannot fulfill. */
  public static final IlpErrorCode F05_WRONG_CONDITION = new IlpErrorCode("F05");

  /** The receiver was not expecting a payment like this (e.g. data it cannot decrypt). */
  public static final IlpErrorCode F06_UNEXPECTED_PAYMENT = new IlpErrorCode("F06");

  /** The receiver cannot accept this payment due to a constraint. */
  public static final IlpErrorCode F07_CANNOT_RECEIVE = new IlpErrorCode("F07");

  /** The amount exceeds what a connector will forward. */
  public static final IlpErrorCode F08_AMOUNT_TOO_LARGE = new IlpErrorCode("F08");

  /** Final error reserved for application protocols (STREAM uses it to carry its reply). */
  public static final IlpErrorCode F99_APPLICATION_ERROR = new IlpErrorCode("F99");

  /** Generic unexpected exception. */
  public static final IlpErrorCode T00_INTERNAL_ERROR = new IlpErrorCode("T00");

  /** The next connector could not be reached. */
  public static final IlpErrorCode T01_PEER_UNREACHABLE = new IlpErrorCode("T01");

  /** The next connector is overloaded. */
  public static final IlpErrorCode T02_PEER_BUSY = new IlpErrorCode("T02");

  /** The connector is overloaded. */
  public static final IlpErrorCode T03_CONNECTOR_BUSY = new IlpErrorCode("T03");

  /** Insufficient balance or bandwidth somewhere on the path. */
  public static final IlpErrorCode T04_INSUFFICIENT_LIQUIDITY = new IlpErrorCode("T04");

  /** The sender is being rate-limited. */
  public static final IlpErrorCode T05_RATE_LIMITED = new IlpErrorCode("T05");

  /** Temporary error reserved for application protocols. */
  public static final IlpErrorCode T99_APPLICATION_ERROR = new IlpErrorCode("T99");

  /** The transfer expired before a party responded (also: Prepare expired or expires too soon). */
  public static final IlpErrorCode R00_TRANSFER_TIMED_OUT = new IlpErrorCode("R00");

  /** The amount was too small to forward. */
  public static final IlpErrorCode R01_INSUFFICIENT_SOURCE_AMOUNT = new IlpErrorCode("R01");

  /** The expiry left too little time to forward. */
  public static final IlpErrorCode R02_INSUFFICIENT_TIMEOUT = new IlpErrorCode("R02");

  /** Relative error reserved for application protocols. */
  public static final IlpErrorCode R99_APPLICATION_ERROR = new IlpErrorCode("R99");

  /** Length of every error code in characters (and bytes). */
  public static final int codeLength = 3;

  public IlpErrorCode {
    if (code == null || code.length() != codeLength || !isAscii(code)) {
      throw new IllegalArgumentException("ILP error code must be 3 ASCII characters: " + code);
    }
  }

  @Override
  public String toString() {
    return code;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }
}
