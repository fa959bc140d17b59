package dev.inlet.admission;

import java.util.List;

/**
 * An account's own limits as the admin API sets them; a null field takes the configured default.
 * Amounts unsigned 64-bit in longs.
 *
 * @param maxOpenConnections see {@link Limits#maxOpenConnections}
 * @param maxConnectionAmount see {@link Limits#maxConnectionAmount}
 * @param connectionFlowRate see {@link Limits#connectionFlowRate}
 * @param accountFlowRate see {@link Limits#accountFlowRate}
 * @param senderFlowRate see {@link Limits#senderFlowRate}
 * @param denyPrefixes see {@link Limits#denyPrefixes}; never null
 */
public record AccountLimits(
    Integer maxOpenConnections,
    Long maxConnectionAmount,
    Long connectionFlowRate,
    Long accountFlowRate,
    Long senderFlowRate,
    List<String> denyPrefixes) {

  /** Copies the list. */
  public AccountLimits {
    denyPrefixes = denyPrefixes == null ? List.of() : List.copyOf(denyPrefixes);
  }

  /** No limit of its own. */
  static final AccountLimits none = new AccountLimits(null, null, null, null, null, List.of());

  /** These over {@code defaults}. */
  Limits over(Limits defaults) {
    return new Limits(
        maxOpenConnections != null ? maxOpenConnections : defaults.maxOpenConnections(),
        maxConnectionAmount != null ? maxConnectionAmount : defaults.maxConnectionAmount(),
        connectionFlowRate != null ? connectionFlowRate : defaults.connectionFlowRate(),
        accountFlowRate != null ? accountFlowRate : defaults.accountFlowRate(),
        senderFlowRate != null ? senderFlowRate : defaults.senderFlowRate(),
        denyPrefixes);
  }
}
