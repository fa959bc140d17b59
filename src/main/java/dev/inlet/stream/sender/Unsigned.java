package dev.inlet.stream.sender;

import java.math.BigInteger;

/** Unsigned 64-bit arithmetic on longs, with the checks money needs. */
final class Unsigned {
  /** 2^64 - 1. */
  static final long max = -1L;

  private static final BigInteger maxBig = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private Unsigned() {}

  static long min(long a, long b) {
    return Long.compareUnsigned(a, b) <= 0 ? a : b;
  }

  static long max(long a, long b) {
    return Long.compareUnsigned(a, b) >= 0 ? a : b;
  }

  static boolean less(long a, long b) {
    return Long.compareUnsigned(a, b) < 0;
  }

  /**
   * {@code a + b}.
   *
   * @throws ArithmeticException past 2^64 - 1
   */
  static long add(long a, long b) {
    long sum = a + b;
    if (Long.compareUnsigned(sum, a) < 0) {
      throw new ArithmeticException("unsigned 64-bit overflow");
    }
    return sum;
  }

  /**
   * {@code a - b}.
   *
   * @throws ArithmeticException below 0
   */
  static long subtract(long a, long b) {
    if (Long.compareUnsigned(a, b) < 0) {
      throw new ArithmeticException("unsigned 64-bit underflow");
    }
    return a - b;
  }

  /** {@code a - b}, or 0 when b is larger. */
  static long subtractOrZero(long a, long b) {
    return Long.compareUnsigned(a, b) <= 0 ? 0 : a - b;
  }

  static BigInteger big(long a) {
    return new BigInteger(Long.toUnsignedString(a));
  }

  /** {@code value}, at most 2^64 - 1 (negative values are a bug: 0). */
  static long clamp(BigInteger value) {
    if (value.signum() <= 0) {
      return 0;
    }
    return value.compareTo(maxBig) > 0 ? max : value.longValue();
  }

  static String text(long a) {
    return Long.toUnsignedString(a);
  }
}
