package dev.inlet.payout;

import dev.inlet.stream.sender.SenderLimits;
import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Payout and refund settings ({@code inlet.payout.*}, e.g. {@code INLET_PAYOUT_MAX_SLIPPAGE}).
 *
 * @param maxSlippage how far below the probed exchange rate a packet may arrive, a fraction in [0,
 *     1): 0.01 is 1%
 * @param packetExpiry how long each outgoing Prepare lives, at most 30 s
 * @param maxInFlight outgoing Prepares of one payout awaiting an answer at once
 * @param idleTimeout a payout fails when nothing was fulfilled for this long
 * @param lease how long a payout being sent stays its replica's without renewal; a payout whose
 *     replica stopped renewing (a crash) is ended by any replica after this, its unanswered packets
 *     in doubt
 */
@ConfigurationProperties(prefix = "inlet.payout")
public record PayoutSettings(
    BigDecimal maxSlippage,
    Duration packetExpiry,
    Integer maxInFlight,
    Duration idleTimeout,
    Duration lease) {

  /** Checks the values through {@link SenderLimits}; the lease at least 3 s. */
  public PayoutSettings {
    if (lease == null || lease.compareTo(Duration.ofSeconds(3)) < 0) {
      throw new IllegalArgumentException("inlet.payout.lease must be at least 3s");
    }
    try {
      new SenderLimits(maxSlippage, packetExpiry, maxInFlight, idleTimeout, -1L);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("inlet.payout: " + e.getMessage(), e);
    }
  }

  /** The sender's limits for one payout. */
  public SenderLimits limits() {
    return new SenderLimits(maxSlippage, packetExpiry, maxInFlight, idleTimeout, -1L);
  }
}
