package dev.inlet.ledger;

/**
 * The most one STREAM connection into an account may receive in all (admission control's {@code
 * max-amount}), asked by the ledger for every packet it decides: answered from memory. The ledger
 * holds it against the connection's total, which it reads under the batch's locks or keeps checked
 * by row version, so it holds across replicas; it is advertised in each stream's {@code
 * StreamMaxMoney}.
 */
@FunctionalInterface
public interface ConnectionLimits {
  /** No limit. */
  ConnectionLimits none = accountId -> -1L;

  /**
   * @return the most, unsigned 64-bit; 2^64-1 ({@code -1L}) for no limit
   */
  long maxAmount(long accountId);
}
