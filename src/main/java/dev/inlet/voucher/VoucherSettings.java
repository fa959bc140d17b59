package dev.inlet.voucher;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Voucher and mandate settings ({@code inlet.voucher.*}, e.g. {@code INLET_VOUCHER_MAX_EXPIRY}).
 *
 * @param defaultExpiry how long a voucher made without {@code expires_at} stays redeemable
 * @param maxExpiry the furthest a voucher's {@code expires_at} may lie ahead
 * @param expiryInterval how often every replica ends vouchers and mandates past their time
 */
@ConfigurationProperties(prefix = "inlet.voucher")
public record VoucherSettings(Duration defaultExpiry, Duration maxExpiry, Duration expiryInterval) {

  /**
   * @throws IllegalArgumentException when a duration is not positive or the default exceeds the
   *     maximum
   */
  public VoucherSettings {
    if (defaultExpiry == null || defaultExpiry.isNegative() || defaultExpiry.isZero()) {
      throw new IllegalArgumentException("inlet.voucher.default-expiry must be positive");
    }
    if (maxExpiry == null || maxExpiry.compareTo(defaultExpiry) < 0) {
      throw new IllegalArgumentException(
          "inlet.voucher.max-expiry must be at least inlet.voucher.default-expiry");
    }
    if (expiryInterval == null || expiryInterval.isNegative() || expiryInterval.isZero()) {
      throw new IllegalArgumentException("inlet.voucher.expiry-interval must be positive");
    }
  }
}
