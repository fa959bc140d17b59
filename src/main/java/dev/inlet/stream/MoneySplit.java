package dev.inlet.stream;

import java.math.BigInteger;

/**
 * Divides a Prepare's amount between its {@code StreamMoney} frames in proportion to their shares
 * (RFC 0029 §5.3.8): each stream gets {@code floor(amount * shares / totalShares)}, and the
 * remainder goes to the lowest-numbered stream with shares, so the parts add up to exactly the
 * amount — no unit lost or made.
 */
final class MoneySplit {
  private MoneySplit() {}

  /**
   * @param amount unsigned 64-bit amount
   * @param shares each stream's shares (unsigned 64-bit), in ascending stream id order; at least
   *     one non-zero
   * @return each stream's amount (unsigned 64-bit), same order; they sum to {@code amount}
   */
  static long[] split(long amount, long[] shares) {
    long[] parts = new long[shares.length];
    if (shares.length == 1) {
      parts[0] = amount;
      return parts;
    }
    BigInteger total = BigInteger.ZERO;
    for (long s : shares) {
      total = total.add(unsigned(s));
    }
    BigInteger whole = unsigned(amount);
    BigInteger given = BigInteger.ZERO;
    int first = -1;
    for (int i = 0; i < shares.length; i++) {
      BigInteger part = whole.multiply(unsigned(shares[i])).divide(total);
      parts[i] = part.longValue();
      given = given.add(part);
      if (first < 0 && shares[i] != 0) {
        first = i;
      }
    }
    parts[first] += whole.subtract(given).longValue();
    return parts;
  }

  private static BigInteger unsigned(long value) {
    BigInteger v = BigInteger.valueOf(value);
    return value >= 0 ? v : v.add(BigInteger.ONE.shiftLeft(64));
  }
}
