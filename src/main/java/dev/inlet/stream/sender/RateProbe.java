package dev.inlet.stream.sender;

/**
 * The amounts of the rate probes (RFC 0029 §4.3): unfulfillable Prepares whose F99 reply tells how
 * much arrived. The first probes the packet amount the send would use; an amount that delivers
 * nothing (below one destination unit) is tried ten times larger, one the path refuses (F08, T04)
 * smaller, {@link #maxProbes} in all.
 */
final class RateProbe {
  /** Probes tried before the send fails ("exchange-rate"). */
  static final int maxProbes = 8;

  private long amount;
  private int attempts;

  /**
   * @param amount the first probe's source amount (unsigned 64-bit); 0 is taken as 1
   */
  RateProbe(long amount) {
    this.amount = Unsigned.max(1, amount);
  }

  /** The next probe's source amount. */
  long amount() {
    return amount;
  }

  /** Counts a probe; false when {@link #maxProbes} were sent already. */
  boolean attempt() {
    return attempts++ < maxProbes;
  }

  /** Ten times the amount, if that stays within {@code ceiling}; false when it does not. */
  boolean grow(long ceiling) {
    if (Long.compareUnsigned(amount, Long.divideUnsigned(Unsigned.max, 10)) > 0) {
      return false;
    }
    long larger = amount * 10;
    if (Unsigned.less(ceiling, larger)) {
      return false;
    }
    amount = larger;
    return true;
  }

  /** At most {@code max} (at least 1). */
  void shrink(long max) {
    amount = Unsigned.max(1, Unsigned.min(amount, max));
  }
}
