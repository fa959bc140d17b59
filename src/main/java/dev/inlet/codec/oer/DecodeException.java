package dev.inlet.codec.oer;

/**
 * Thrown when bytes received from a peer are not a valid encoding. The message names the rule that
 * was broken and the byte offset (from the start of the decoded buffer) where it was detected.
 *
 * <p>Stack traces are not captured: malformed input is an expected outcome on the hot path (a peer
 * can send garbage at line rate), the message already pinpoints the problem, and filling in a trace
 * per rejected packet would make hostile input expensive.
 */
public final class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /**
   * @param problem what was wrong, e.g. "var-uint has a leading zero byte"
   * @param offset byte offset into the buffer being decoded where the problem was found
   */
  public DecodeException(String problem, int offset) {
    super(problem + " at offset " + offset, null, false, false);
    this.offset = offset;
  }

  /** Byte offset into the decoded buffer where the problem was found. */
  public int offset() {
    return offset;
  }
}
