package dev.inlet.admission;

import dev.inlet.web.Amounts;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Admission control settings ({@code INLET_*}, beside {@link dev.inlet.config.InletSettings}).
 * Amounts and flow rates are decimal strings of unsigned 64-bit integers in the asset's smallest
 * unit (per second for rates); blank means no limit.
 *
 * @param trustedProxies addresses or CIDR ranges of the proxies whose {@code X-Forwarded-For} /
 *     {@code Forwarded} names the client ({@code INLET_TRUSTED_PROXIES}); empty: the socket's peer
 * @param spspRatePerClient SPSP queries per second per client address ({@code
 *     INLET_SPSP_RATE_PER_CLIENT})
 * @param spspBurstPerClient SPSP queries a client may make at once, at least the rate
 * @param apiRatePerKey merchant API requests per second per API key
 * @param apiBurstPerKey merchant API requests a key may make at once, at least the rate
 * @param maxOpenConnections open STREAM connections of the whole service, past which SPSP answers
 *     503 {@code system-limit}
 * @param accountMaxOpenConnections an account's open connections by default, past which its SPSP
 *     answers 429 {@code receiver-quota}
 * @param connectionMaxAmount the most one connection may receive, by default; blank: no limit
 * @param connectionFlowRate money per second one connection may bring, by default; blank: none
 * @param accountFlowRate money per second into one account, by default; blank: none
 * @param senderFlowRate money per second into one account from one sender address, by default;
 *     blank: none
 * @param flowRateWindow the window a flow rate is averaged over: at most rate × window at once
 * @param openConnectionIdle a connection not closed counts as open while it had a packet within
 *     this
 */
@ConfigurationProperties(prefix = "inlet")
public record AdmissionSettings(
    List<String> trustedProxies,
    Integer spspRatePerClient,
    Integer spspBurstPerClient,
    Integer apiRatePerKey,
    Integer apiBurstPerKey,
    Integer maxOpenConnections,
    Integer accountMaxOpenConnections,
    String connectionMaxAmount,
    String connectionFlowRate,
    String accountFlowRate,
    String senderFlowRate,
    Duration flowRateWindow,
    Duration openConnectionIdle) {

  /** Rejects impossible values at start, naming the setting. */
  public AdmissionSettings {
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    atLeast("INLET_SPSP_RATE_PER_CLIENT", spspRatePerClient, 1);
    atLeast("INLET_SPSP_BURST_PER_CLIENT", spspBurstPerClient, spspRatePerClient);
    atLeast("INLET_API_RATE_PER_KEY", apiRatePerKey, 1);
    atLeast("INLET_API_BURST_PER_KEY", apiBurstPerKey, apiRatePerKey);
    atLeast("INLET_MAX_OPEN_CONNECTIONS", maxOpenConnections, 1);
    atLeast("INLET_ACCOUNT_MAX_OPEN_CONNECTIONS", accountMaxOpenConnections, 1);
    amount("INLET_CONNECTION_MAX_AMOUNT", connectionMaxAmount, false);
    amount("INLET_CONNECTION_FLOW_RATE", connectionFlowRate, true);
    amount("INLET_ACCOUNT_FLOW_RATE", accountFlowRate, true);
    amount("INLET_SENDER_FLOW_RATE", senderFlowRate, true);
    positive("INLET_FLOW_RATE_WINDOW", flowRateWindow);
    positive("INLET_OPEN_CONNECTION_IDLE", openConnectionIdle);
  }

  /** The configured defaults of every account's limits. */
  Limits defaults() {
    return new Limits(
        accountMaxOpenConnections,
        amount("", connectionMaxAmount, false),
        amount("", connectionFlowRate, true),
        amount("", accountFlowRate, true),
        amount("", senderFlowRate, true),
        List.of());
  }

  private static void atLeast(String name, Integer value, int least) {
    if (value == null || value < least) {
      throw new IllegalArgumentException(name + " must be at least " + least + ": " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  private static Long amount(String name, String value, boolean positive) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long v = Amounts.parse(value.trim());
      if (positive && v == 0) {
        throw new IllegalArgumentException("must be positive");
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " " + e.getMessage() + ": " + value, e);
    }
  }
}
