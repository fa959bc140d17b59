package dev.inlet.web;

/**
 * Parses amounts given as decimal strings: unsigned 64-bit integers in the asset's smallest unit.
 */
public final class Amounts {
  private Amounts() {}

  /**
   * @return the amount as the long holding its unsigned bits
   * @throws IllegalArgumentException when not a decimal integer from 0 to 18446744073709551615
   */
  public static long parse(String text) {
    if (text == null
        || text.isEmpty()
        || text.length() > 20
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "must be a decimal string of an integer from 0 to 18446744073709551615");
    }
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must not exceed 18446744073709551615");
    }
  }
}
