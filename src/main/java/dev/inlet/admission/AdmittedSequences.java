package dev.inlet.admission;

/**
 * The sequences of one connection whose money a flow limit has already counted: the highest and a
 * window of the {@value #window} below it (as IPsec's anti-replay window). A Prepare retried by the
 * connector after a lost Fulfill carries a counted sequence: it passes without being counted again,
 * so that a retry of money already credited is never refused T05 (the sender would then be told the
 * money did not arrive while the receiver holds it). STREAM senders never reuse a sequence
 * otherwise, and one beyond the window is counted as new.
 */
final class AdmittedSequences {
  static final int window = 64;

  private long highest;
  private long below;

  /** Whether {@code sequence} was counted before. */
  synchronized boolean counted(long sequence) {
    if (highest == 0 || sequence > highest || sequence <= highest - window) {
      return false;
    }
    return sequence == highest || (below & (1L << (highest - sequence - 1))) != 0;
  }

  /** Marks {@code sequence} counted. */
  synchronized void count(long sequence) {
    if (sequence > highest) {
      long shift = sequence - highest;
      below = shift >= window ? 0 : (below << shift) | (highest == 0 ? 0 : 1L << (shift - 1));
      highest = sequence;
    } else if (sequence < highest && sequence > highest - window) {
      below |= 1L << (highest - sequence - 1);
    }
  }
}
