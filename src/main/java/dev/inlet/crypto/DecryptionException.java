package dev.inlet.crypto;

/**
 * STREAM data that does not decrypt under a connection's key: too short or failing AES-GCM
 * authentication. A receiver answers the Prepare with {@code F06} (RFC 0029 §4.2).
 */
public final class DecryptionException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message why the data was refused
   */
  public DecryptionException(String message) {
    // No stack trace: undecryptable packets are routine traffic, and traces cost more than the
    // check.
    super(message, null, false, false);
  }
}
