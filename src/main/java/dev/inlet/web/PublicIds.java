package dev.inlet.web;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Public ids of one kind of object on the merchant API: a prefix ({@code inv_}, {@code wh_}, {@code
 * whd_}) and 16 random bytes in lowercase base32 (RFC 4648 alphabet, no padding), 26 characters.
 * Random, so ids tell nothing of how many objects exist and cannot be guessed; database ids never
 * leave Inlet. Thread-safe.
 */
public final class PublicIds {
  /** Invoices. */
  public static final PublicIds invoices = new PublicIds("inv_");

  /** Webhooks. */
  public static final PublicIds webhooks = new PublicIds("wh_");

  /** Webhook deliveries. */
  public static final PublicIds deliveries = new PublicIds("whd_");

  /** Payouts and refunds. */
  public static final PublicIds payouts = new PublicIds("po_");

  /** Vouchers. */
  public static final PublicIds vouchers = new PublicIds("vch_");

  /** Pull-payment mandates. */
  public static final PublicIds mandates = new PublicIds("mdt_");

  /**
   * The secret codes of vouchers' and mandates' payment pointers (their path): 128 random bits, so
   * knowing the pointer is the right to redeem or pull.
   */
  public static final PublicIds codes = new PublicIds("");

  private static final char[] alphabet = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final int randomBytes = 16;
  private static final SecureRandom random = new SecureRandom();

  private final String prefix;
  private final Pattern valid;

  private PublicIds(String prefix) {
    this.prefix = prefix;
    this.valid = Pattern.compile(Pattern.quote(prefix) + "[a-z2-7]{26}");
  }

  /** A fresh id. */
  public String generate() {
    byte[] bytes = new byte[randomBytes];
    random.nextBytes(bytes);
    return prefix + base32(bytes);
  }

  /** Whether {@code id} has the form of an id of this kind (checked before any SQL). */
  public boolean isValid(String id) {
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
