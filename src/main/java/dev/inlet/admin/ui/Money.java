package dev.inlet.admin.ui;

/**
 * Amounts as people read them: the unsigned integer in the asset's smallest unit with the decimal
 * point put {@code assetScale} digits from the right, by string arithmetic — never through a
 * floating-point number. {@code format("12345678901", 9, "USD")} is {@code "12.345678901 USD"}.
 */
public final class Money {
  private Money() {}

  /**
   * @param digits a non-negative decimal integer (any length: sums of uint64 values may exceed it),
   *     or null
   * @param assetScale digits after the point (0–255)
   * @return the formatted amount; {@code "–"} for null
   */
  public static String format(String digits, int assetScale, String assetCode) {
    if (digits == null) {
      return "–";
    }
    return decimal(digits, assetScale) + (assetCode == null ? "" : " " + assetCode);
  }

  /** As {@link #format} for an unsigned 64-bit value held in a long. */
  public static String format(long unsigned, int assetScale, String assetCode) {
    return format(Long.toUnsignedString(unsigned), assetScale, assetCode);
  }

  /** The largest uint64, which as a limit means none. */
  static final String uint64Max = "18446744073709551615";

  /** As {@link #format}, but {@code "no limit"} for the largest uint64 (an unbounded maximum). */
  public static String limit(String digits, int assetScale, String assetCode) {
    return uint64Max.equals(digits) ? "no limit" : format(digits, assetScale, assetCode);
  }

  /** The decimal number alone: {@code decimal("5", 3)} is {@code "0.005"}. */
  public static String decimal(String digits, int assetScale) {
    boolean negative = digits.startsWith("-");
    String d = negative ? digits.substring(1) : digits;
    if (d.isEmpty() || !d.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a decimal integer: " + digits);
    }
    if (assetScale > 0) {
      if (d.length() <= assetScale) {
        d = "0".repeat(assetScale - d.length() + 1) + d;
      }
      d = d.substring(0, d.length() - assetScale) + "." + d.substring(d.length() - assetScale);
    }
    return negative ? "-" + d : d;
  }
}
