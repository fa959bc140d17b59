package dev.inlet.admission;

import java.util.List;

/**
 * An account's admission limits in force: its own where set, else the configured defaults. Unsigned
 * 64-bit amounts in longs; null: no limit.
 *
 * @param maxOpenConnections connections open at once (not closed, a packet within {@code
 *     INLET_OPEN_CONNECTION_IDLE}), ≥ 1
 * @param maxConnectionAmount the most one connection receives in all ({@code max-amount},
 *     advertised as {@code StreamMaxMoney})
 * @param connectionFlowRate money per second one connection may bring ({@code flow-rate})
 * @param accountFlowRate money per second into the account, over all its connections
 * @param senderFlowRate money per second into the account from one sender address ({@code
 *     ConnectionNewAddress}), over all that sender's connections ({@code sender-quota})
 * @param denyPrefixes ILP address prefixes of refused senders ({@code sender-blocked})
 */
public record Limits(
    int maxOpenConnections,
    Long maxConnectionAmount,
    Long connectionFlowRate,
    Long accountFlowRate,
    Long senderFlowRate,
    List<String> denyPrefixes) {

  /** Copies the list. */
  public Limits {
    denyPrefixes = List.copyOf(denyPrefixes);
  }

  /**
   * Whether {@code address} is on the deny list: equal to a prefix or below it ({@code g.evil}
   * blocks {@code g.evil} and {@code g.evil.alice}, not {@code g.evilness}).
   */
  public boolean blocks(String address) {
    for (String p : denyPrefixes) {
      if (address.startsWith(p)
          && (address.length() == p.length() || address.charAt(p.length()) == '.')) {
        return true;
      }
    }
    return false;
  }
}
