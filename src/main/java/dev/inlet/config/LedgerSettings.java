package dev.inlet.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the ledger writer ({@code INLET_LEDGER_*}; defaults in application.yaml).
 *
 * @param commitDelay the longest the writer holds a small batch for more packets when the previous
 *     batch was small too (group commit at modest load, as PostgreSQL's {@code commit_delay}); a
 *     batch of 128 packets is never held; zero: never wait. At most {@link #maxCommitDelay}: every
 *     fulfilled packet waits for its commit, and its sender for the Fulfill.
 */
@ConfigurationProperties(prefix = "inlet.ledger")
public record LedgerSettings(Duration commitDelay) {
  /** The longest commit delay accepted. */
  public static final Duration maxCommitDelay = Duration.ofMillis(20);

  /** Checks the delay: zero to {@link #maxCommitDelay}. */
  public LedgerSettings {
    if (commitDelay == null
        || commitDelay.isNegative()
        || commitDelay.compareTo(maxCommitDelay) > 0) {
      throw new IllegalArgumentException(
          "inlet.ledger.commit-delay must be between 0 and "
              + maxCommitDelay.toMillis()
              + "ms, not "
              + commitDelay);
    }
  }
}
