package dev.inlet.invoice;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Invoice settings ({@code inlet.invoice.*}, e.g. {@code INLET_INVOICE_MAX_EXPIRY}).
 *
 * @param defaultExpiry how long an invoice created without {@code expires_at} stays payable
 * @param maxExpiry the furthest {@code expires_at} may lie ahead of its creation
 * @param expiryInterval how often every replica looks for invoices past their {@code expires_at}
 */
@ConfigurationProperties(prefix = "inlet.invoice")
public record InvoiceSettings(Duration defaultExpiry, Duration maxExpiry, Duration expiryInterval) {

  /**
   * @throws IllegalArgumentException when a duration is not positive or the default exceeds the
   *     maximum
   */
  public InvoiceSettings {
    if (defaultExpiry == null || defaultExpiry.isNegative() || defaultExpiry.isZero()) {
      throw new IllegalArgumentException("inlet.invoice.default-expiry must be positive");
    }
    if (maxExpiry == null || maxExpiry.compareTo(defaultExpiry) < 0) {
      throw new IllegalArgumentException(
          "inlet.invoice.max-expiry must be at least inlet.invoice.default-expiry");
    }
    if (expiryInterval == null || expiryInterval.isNegative() || expiryInterval.isZero()) {
      throw new IllegalArgumentException("inlet.invoice.expiry-interval must be positive");
    }
  }
}
