package dev.inlet.admission;

import java.util.HashMap;
import java.util.Map;

/**
 * Every account's limits in force, in memory for the packet path: read from {@code account_limits}
 * at start, after each change made here, and every {@link AdmissionConfig#reloadInterval} (a change
 * made through another replica).
 */
public final class AdmissionPolicy {
  private final AccountLimitsStore store;
  private final Limits defaults;
  private volatile Map<Long, AccountLimits> own = Map.of();
  private volatile Map<Long, Limits> inForce = Map.of();

  AdmissionPolicy(AccountLimitsStore store, Limits defaults) {
    this.store = store;
    this.defaults = defaults;
  }

  /** The configured defaults. */
  public Limits defaults() {
    return defaults;
  }

  /** Account {@code accountId}'s limits in force (the defaults for 0, an invoice's unknown one). */
  public Limits of(long accountId) {
    Limits l = inForce.get(accountId);
    return l != null ? l : defaults;
  }

  /**
   * The most one connection into account {@code accountId} may receive, unsigned 64-bit; 2^64-1
   * ({@code -1L}) for no limit: the ledger's {@code ConnectionLimits}.
   */
  public long maxConnectionAmount(long accountId) {
    Long max = of(accountId).maxConnectionAmount();
    return max == null ? -1L : max;
  }

  /** Account {@code accountId}'s own limits (all null when it has none). */
  public AccountLimits own(long accountId) {
    return own.getOrDefault(accountId, AccountLimits.none);
  }

  /** Sets account {@code accountId}'s own limits, durably, and puts them in force here. */
  public void set(long accountId, AccountLimits limits) {
    store.put(accountId, limits);
    reload();
  }

  /** Reads every account's own limits again. */
  public synchronized void reload() {
    Map<Long, AccountLimits> read = store.all();
    Map<Long, Limits> merged = new HashMap<>(read.size() * 2);
    read.forEach((id, l) -> merged.put(id, l.over(defaults)));
    own = Map.copyOf(read);
    inForce = Map.copyOf(merged);
  }
}
