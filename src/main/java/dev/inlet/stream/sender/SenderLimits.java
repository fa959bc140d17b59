package dev.inlet.stream.sender;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The bounds one payment is sent within.
 *
 * @param maxSlippage how far below the probed exchange rate a packet may arrive, as a fraction in
 *     [0, 1): 0.01 accepts 1% less than the rate promised
 * @param packetExpiry how long each Prepare lives, more than zero and at most {@link
 *     #maxPacketExpiry}
 * @param maxInFlight the most Prepares awaiting an answer at once, at least 1
 * @param idleTimeout the send fails ("timeout") when nothing was fulfilled for this long
 * @param maxPacketAmount the largest source amount of one Prepare (unsigned 64-bit, not 0)
 * @throws IllegalArgumentException if a value is outside its range; NullPointerException if one is
 *     null
 */
public record SenderLimits(
    BigDecimal maxSlippage,
    Duration packetExpiry,
    int maxInFlight,
    Duration idleTimeout,
    long maxPacketAmount) {

  /** Longest expiry of a Prepare: a few tens of seconds at most (RFC 0029 §6.2). */
  public static final Duration maxPacketExpiry = Duration.ofSeconds(30);

  /** The default slippage: 1%. */
  public static final BigDecimal defaultMaxSlippage = new BigDecimal("0.01");

  public SenderLimits {
    Objects.requireNonNull(maxSlippage, "maxSlippage");
    Objects.requireNonNull(packetExpiry, "packetExpiry");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxSlippage.signum() < 0 || maxSlippage.compareTo(BigDecimal.ONE) >= 0) {
      throw new IllegalArgumentException("maxSlippage must be in [0, 1), was " + maxSlippage);
    }
    if (packetExpiry.isNegative()
        || packetExpiry.isZero()
        || packetExpiry.compareTo(maxPacketExpiry) > 0) {
      throw new IllegalArgumentException("packetExpiry must be in (0, 30 s], was " + packetExpiry);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
    }
    if (maxPacketAmount == 0) {
      throw new IllegalArgumentException("maxPacketAmount must not be 0");
    }
  }

  /**
   * The defaults: 1% slippage, 30 s packet expiry, 10 Prepares in flight, 60 s idle timeout, no
   * packet limit of our own (the path's F08 answers set it).
   */
  public static SenderLimits defaults() {
    return new SenderLimits(defaultMaxSlippage, maxPacketExpiry, 10, Duration.ofSeconds(60), -1L);
  }

  /** These limits with another {@code maxPacketAmount} (unsigned 64-bit, not 0). */
  public SenderLimits withMaxPacketAmount(long amount) {
    return new SenderLimits(maxSlippage, packetExpiry, maxInFlight, idleTimeout, amount);
  }

  /** These limits with another {@code idleTimeout}. */
  public SenderLimits withIdleTimeout(Duration timeout) {
    return new SenderLimits(maxSlippage, packetExpiry, maxInFlight, timeout, maxPacketAmount);
  }

  /** These limits with another {@code maxInFlight}. */
  public SenderLimits withMaxInFlight(int inFlight) {
    return new SenderLimits(maxSlippage, packetExpiry, inFlight, idleTimeout, maxPacketAmount);
  }

  /** These limits with another {@code maxSlippage}. */
  public SenderLimits withMaxSlippage(BigDecimal slippage) {
    return new SenderLimits(slippage, packetExpiry, maxInFlight, idleTimeout, maxPacketAmount);
  }
}
