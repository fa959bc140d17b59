package dev.inlet.config;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.ledger.Account;
import java.time.Duration;
import java.util.Optional;

/** Refuses to start on impossible settings, naming the variable and the value's problem. */
final class SettingsValidator {
  /**
   * Shortest admin or connector token an operator may set, characters: guessing one of 32
   * characters is hopeless even without the throttle. Generated tokens are 44.
   */
  static final int minTokenChars = 32;

  /**
   * Least positive INLET_UNPAID_CONNECTION_MAX_IDLE: {@code last_packet_at} moves to the minute,
   * and a sender may pause minutes between its handshake and its first payment.
   */
  static final Duration minUnpaidConnectionMaxIdle = Duration.ofMinutes(10);

  /** Least INLET_UNPAID_CONNECTION_PRUNE_INTERVAL: each run may scan the connections table. */
  static final Duration minUnpaidConnectionPruneInterval = Duration.ofSeconds(1);

  private SettingsValidator() {}

  /**
   * @throws IllegalStateException naming the first setting that cannot work
   */
  static void validate(InletSettings s) {
    // Unset: the parent's over ILDCP with an uplink (dev.inlet.uplink.IlpIdentity), else
    // test.inlet.
    if (s.ilpAddress() != null && !s.ilpAddress().isBlank()) {
      try {
        IlpAddress.of(s.ilpAddress());
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "INLET_ILP_ADDRESS is not a valid ILP address (RFC 0015): " + s.ilpAddress());
      }
    }
    if (s.assetCode() == null || s.assetCode().isBlank() || s.assetCode().length() > 16) {
      throw new IllegalStateException("INLET_ASSET_CODE must be 1 to 16 characters");
    }
    if (s.assetScale() == null || s.assetScale() < 0 || s.assetScale() > 255) {
      throw new IllegalStateException("INLET_ASSET_SCALE must be from 0 to 255");
    }
    requirePositive(s.idleTimeout(), "INLET_IDLE_TIMEOUT", "60s");
    requirePort(s.ilpPort(), "INLET_ILP_PORT");
    requirePositive(s.ilpRequestTimeout(), "INLET_ILP_REQUEST_TIMEOUT", "10s");
    requirePort(s.managementPort(), "INLET_MANAGEMENT_PORT");
    if (s.adminAuthMaxFailures() == null || s.adminAuthMaxFailures() < 1) {
      throw new IllegalStateException("INLET_ADMIN_AUTH_MAX_FAILURES must be at least 1");
    }
    requirePositive(s.adminAuthWindow(), "INLET_ADMIN_AUTH_WINDOW", "1m");
    requireLongEnough(s.adminToken(), "INLET_ADMIN_TOKEN");
    requireLongEnough(s.connectorToken(), "INLET_CONNECTOR_TOKEN");
    Duration maxIdle = s.unpaidConnectionMaxIdle();
    if (maxIdle == null
        || maxIdle.isNegative()
        || (!maxIdle.isZero() && maxIdle.compareTo(minUnpaidConnectionMaxIdle) < 0)) {
      throw new IllegalStateException(
          "INLET_UNPAID_CONNECTION_MAX_IDLE must be 0 (never delete) or at least "
              + minUnpaidConnectionMaxIdle.toMinutes()
              + "m, such as 24h");
    }
    if (s.unpaidConnectionPruneInterval() == null
        || s.unpaidConnectionPruneInterval().compareTo(minUnpaidConnectionPruneInterval) < 0) {
      throw new IllegalStateException(
          "INLET_UNPAID_CONNECTION_PRUNE_INTERVAL must be at least 1s, such as 5m");
    }
    s.defaultAccount()
        .filter(name -> !Account.isValidName(name))
        .ifPresent(
            name -> {
              throw new IllegalStateException(
                  "INLET_DEFAULT_ACCOUNT is not a valid account name: " + name);
            });
  }

  private static void requirePositive(Duration value, String variable, String example) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalStateException(
          variable + " must be a positive duration, such as " + example);
    }
  }

  private static void requirePort(Integer port, String variable) {
    if (port == null || port < 0 || port > 65535) {
      throw new IllegalStateException(
          variable + " must be a TCP port from 0 (any free port) to 65535");
    }
  }

  /** A token the operator set (never one Inlet generated) must be long; the message omits it. */
  private static void requireLongEnough(Optional<String> token, String variable) {
    token
        .filter(t -> t.length() < minTokenChars)
        .ifPresent(
            t -> {
              throw new IllegalStateException(
                  variable
                      + " must be at least "
                      + minTokenChars
                      + " characters, not "
                      + t.length()
                      + ": set a random one, such as the output of openssl rand -base64 32");
            });
  }
}
