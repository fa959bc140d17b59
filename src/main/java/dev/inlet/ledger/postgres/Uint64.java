package dev.inlet.ledger.postgres;

import java.math.BigDecimal;

/**
 * Unsigned 64-bit amounts (held in longs) to and from PostgreSQL {@code numeric}: there is no
 * unsigned bigint.
 */
public final class Uint64 {
  private Uint64() {}

  /** The unsigned value of {@code amount}'s bits as a {@code numeric}. */
  public static BigDecimal toNumeric(long amount) {
    return amount >= 0 ? BigDecimal.valueOf(amount) : new BigDecimal(Long.toUnsignedString(amount));
  }

  /** A uint64 column value as the long holding its unsigned bits. */
  public static long fromNumeric(BigDecimal value) {
    return value.toBigIntegerExact().longValue();
  }
}
