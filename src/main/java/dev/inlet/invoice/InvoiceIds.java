package dev.inlet.invoice;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Public invoice ids: {@code inv_} and 16 random bytes in lowercase base32 (RFC 4648 alphabet, no
 * padding), 26 characters. Random, so ids tell nothing of how many invoices exist and cannot be
 * guessed.
 */
public final class InvoiceIds {
  private static final String prefix = "inv_";
  private static final char[] alphabet = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final Pattern valid = Pattern.compile("inv_[a-z2-7]{26}");
  private static final SecureRandom random = new SecureRandom();

  private InvoiceIds() {}

  /** A fresh id. */
  public static String generate() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return prefix + base32(bytes);
  }

  /** Whether {@code id} has the form of an invoice id (checked before any SQL). */
  public static boolean isValid(String id) {
    return id != null && valid.matcher(id).matches();
  }

  /** Lowercase base32 without padding. */
  static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }
}
