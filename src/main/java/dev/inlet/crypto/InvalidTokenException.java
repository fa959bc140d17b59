package dev.inlet.crypto;

/**
 * A connection token that this server did not issue, or that was altered: wrong length, not
 * canonical base64url, unknown version, or failing authentication. A receiver answers packets to
 * such an address with {@code F06} (RFC 0029 §4.2), as it would for undecryptable data.
 */
public final class InvalidTokenException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message why the token was refused
   */
  public InvalidTokenException(String message) {
    // No stack trace: forged or stale addresses are routine traffic, and traces cost more than the
    // check.
    super(message, null, false, false);
  }
}
