package dev.inlet.merchant;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A merchant: owns receiving accounts, invoices and webhooks, and calls the merchant API ({@code
 * /v1/**}) with its API keys.
 *
 * @param id database id, never shown on the merchant API
 * @param name 1..64 characters of {@code [A-Za-z0-9_~-]}, unique
 * @param createdAt creation time
 */
public record Merchant(long id, String name, Instant createdAt) {
  private static final Pattern validName = Pattern.compile("[A-Za-z0-9_~-]{1,64}");

  /** {@link #isValidName}'s rule, in words for problem documents. */
  public static final String nameRule = "1 to 64 characters of A-Z a-z 0-9 _ ~ -";

  /** Whether {@code name} may name a merchant. */
  public static boolean isValidName(String name) {
    return name != null && validName.matcher(name).matches();
  }
}
