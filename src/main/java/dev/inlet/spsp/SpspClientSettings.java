package dev.inlet.spsp;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The SPSP client's settings ({@code inlet.spsp.*}, e.g. {@code INLET_SPSP_ALLOW_HTTP}).
 *
 * @param allowHttp whether {@code http://} SPSP URLs are queried (tests, private networks); else
 *     only {@code https://}
 * @param allowPrivate whether hosts on loopback, private, link-local or CGNAT addresses are queried
 *     (tests, private networks); else a receiver named by a merchant could make Inlet query its own
 *     network
 * @param timeout the most one query takes, connecting included
 * @param maxBodyBytes the largest answer read; a longer one is {@code receiver-invalid}
 */
@ConfigurationProperties(prefix = "inlet.spsp")
public record SpspClientSettings(
    boolean allowHttp, boolean allowPrivate, Duration timeout, int maxBodyBytes) {

  /**
   * @throws IllegalArgumentException when the timeout is not positive or the body bound below 1 KiB
   */
  public SpspClientSettings {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("inlet.spsp.timeout must be positive");
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("inlet.spsp.max-body-bytes must be at least 1024");
    }
  }

  /** https only, public hosts only, 10 s, 64 KiB. */
  public static SpspClientSettings defaults() {
    return new SpspClientSettings(false, false, Duration.ofSeconds(10), 65_536);
  }
}
