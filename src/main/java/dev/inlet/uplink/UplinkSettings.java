package dev.inlet.uplink;

import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The uplink's settings, {@code inlet.uplink.*} ({@code INLET_UPLINK_*}); defaults in {@code
 * application.yaml}. Validated at start ({@link #validate}).
 *
 * @param url the parent connector: {@code http(s)://…} (ILP-over-HTTP) or {@code
 *     btp+ws(s)://user:secret@host:port} (BTP); absent: no uplink
 * @param token bearer token sent to an ILP-over-HTTP parent (RFC 0035); unused over BTP, whose
 *     secret is in the URL
 * @param connectTimeout TCP/TLS connect, and for BTP the WebSocket handshake and the auth answer,
 *     must finish within this
 * @param expiryMargin a send completes at the latest this long after its Prepare's expiry: then
 *     with a LinkException (in doubt) when no answer came
 * @param maxInFlight Prepares sent and not yet answered at most; a send beyond it is refused at
 *     once (not sent)
 * @param pingInterval BTP: a WebSocket ping this often; no pong (or other message) within {@code
 *     connectTimeout} after it closes the connection and reconnects
 * @param reconnectMinDelay BTP: first wait before reconnecting, doubled after each failure
 * @param reconnectMaxDelay BTP: longest wait between reconnects
 * @param ildcpTimeout with an uplink and no {@code INLET_ILP_ADDRESS}: how long startup keeps
 *     asking the parent for the address (ILDCP) before it fails
 */
@ConfigurationProperties(prefix = "inlet.uplink")
public record UplinkSettings(
    Optional<String> url,
    Optional<String> token,
    Duration connectTimeout,
    Duration expiryMargin,
    Integer maxInFlight,
    Duration pingInterval,
    Duration reconnectMinDelay,
    Duration reconnectMaxDelay,
    Duration ildcpTimeout) {

  /** Most Prepares in flight that may be configured: each holds a little memory until answered. */
  static final int maxMaxInFlight = 100_000;

  public UplinkSettings {
    url = url == null ? Optional.empty() : url.filter(s -> !s.isBlank());
    token = token == null ? Optional.empty() : token.filter(s -> !s.isBlank());
  }

  /** Whether an uplink is configured. */
  public boolean configured() {
    return url.isPresent();
  }

  /**
   * @return the parsed URL, when configured
   * @throws IllegalStateException naming the first setting that cannot work
   */
  Optional<UplinkUrl> validate() {
    requirePositive(connectTimeout, "INLET_UPLINK_CONNECT_TIMEOUT", "5s");
    requirePositive(expiryMargin, "INLET_UPLINK_EXPIRY_MARGIN", "1s");
    requirePositive(pingInterval, "INLET_UPLINK_PING_INTERVAL", "20s");
    requirePositive(reconnectMinDelay, "INLET_UPLINK_RECONNECT_MIN_DELAY", "500ms");
    requirePositive(reconnectMaxDelay, "INLET_UPLINK_RECONNECT_MAX_DELAY", "30s");
    requirePositive(ildcpTimeout, "INLET_UPLINK_ILDCP_TIMEOUT", "60s");
    if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
      throw new IllegalStateException(
          "INLET_UPLINK_RECONNECT_MAX_DELAY must be at least INLET_UPLINK_RECONNECT_MIN_DELAY");
    }
    if (maxInFlight == null || maxInFlight < 1 || maxInFlight > maxMaxInFlight) {
      throw new IllegalStateException(
          "INLET_UPLINK_MAX_IN_FLIGHT must be from 1 to " + maxMaxInFlight + ", such as 256");
    }
    return url.map(UplinkUrl::parse);
  }

  private static void requirePositive(Duration value, String variable, String example) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalStateException(
          variable + " must be a positive duration, such as " + example);
    }
  }
}
