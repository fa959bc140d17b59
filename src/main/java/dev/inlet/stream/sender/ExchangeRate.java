package dev.inlet.stream.sender;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The path's exchange rate as an exact fraction: {@code arrived} destination units for {@code sent}
 * source units, as a probe measured it (RFC 0029 §4.3, the receiver's reply carries the amount that
 * arrived).
 *
 * @param arrived destination units that arrived, more than zero
 * @param sent source units sent, more than zero
 */
record ExchangeRate(BigInteger arrived, BigInteger sent) {

  ExchangeRate {
    if (arrived.signum() <= 0 || sent.signum() <= 0) {
      throw new IllegalArgumentException("an exchange rate needs positive amounts");
    }
  }

  /** The rate {@code arrived / sent} of two unsigned 64-bit amounts. */
  static ExchangeRate of(long arrived, long sent) {
    return new ExchangeRate(Unsigned.big(arrived), Unsigned.big(sent));
  }

  /**
   * What {@code amount} source units should deliver, less the slippage the sender accepts: {@code
   * floor(amount × arrived / sent × (1 − slippage))}, at most 2^64 - 1.
   */
  long minDelivered(long amount, BigDecimal slippage) {
    BigDecimal kept = BigDecimal.ONE.subtract(slippage);
    BigInteger numerator = Unsigned.big(amount).multiply(arrived).multiply(kept.unscaledValue());
    BigInteger denominator = sent.multiply(BigInteger.TEN.pow(Math.max(0, kept.scale())));
    if (kept.scale() < 0) {
      numerator = numerator.multiply(BigInteger.TEN.pow(-kept.scale()));
    }
    return Unsigned.clamp(numerator.divide(denominator));
  }

  /** What {@code amount} source units deliver at this rate, rounded down. */
  long expected(long amount) {
    return Unsigned.clamp(Unsigned.big(amount).multiply(arrived).divide(sent));
  }

  /** The most source units that deliver at most {@code credit} destination units. */
  long sourceFor(long credit) {
    return Unsigned.clamp(Unsigned.big(credit).multiply(sent).divide(arrived));
  }

  @Override
  public String toString() {
    return new BigDecimal(arrived)
        .divide(new BigDecimal(sent), 9, RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }
}
