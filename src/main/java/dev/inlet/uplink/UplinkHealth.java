package dev.inlet.uplink;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code uplink} health contributor, part of the readiness group: DOWN while a BTP uplink is
 * not connected (incoming Prepares arrive on it, so Inlet cannot receive); UP for an ILP-over-HTTP
 * uplink (no connection to keep) and when there is no uplink.
 */
final class UplinkHealth implements HealthIndicator {
  private final Uplink uplink;
  private final String kind;

  UplinkHealth(Uplink uplink, String kind) {
    this.uplink = uplink;
    this.kind = kind;
  }

  @Override
  public Health health() {
    Uplink.State state = uplink.state();
    Health.Builder health =
        kind.equals("btp") && state != Uplink.State.UP ? Health.down() : Health.up();
    return health.withDetail("kind", kind).withDetail("state", state.name()).build();
  }
}
