package dev.inlet.warmup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The self-warm-up's setting ({@code INLET_WARMUP}; default in application.yaml).
 *
 * @param warmup how long Inlet drives its packet path ({@link PacketPathWarmup}) before it reports
 *     ready; 0 turns it off
 */
@ConfigurationProperties(prefix = "inlet")
public record WarmupSettings(Duration warmup) {
  /** The longest warm-up: readiness waits for it, and the JIT has settled well before. */
  public static final Duration maxWarmup = Duration.ofMinutes(1);

  /**
   * @throws IllegalArgumentException if the warm-up is negative or longer than {@link #maxWarmup}
   */
  public WarmupSettings {
    if (warmup == null) {
      warmup = Duration.ZERO;
    }
    if (warmup.isNegative() || warmup.compareTo(maxWarmup) > 0) {
      throw new IllegalArgumentException(
          "INLET_WARMUP must be from 0s (off) to " + maxWarmup.toSeconds() + "s, got " + warmup);
    }
  }
}
