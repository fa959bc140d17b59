package dev.inlet.ledger;

import java.math.BigInteger;
import java.util.List;

/**
 * The double-entry check: every balance equals the sum of its account's entries, every transfer's
 * entries sum to zero, and so do all entries together; every transfer's amount is the sum of the
 * packets it posts, and every credited packet names a known connection and transfer.
 *
 * @param accounts accounts checked
 * @param transfers transfers checked (each posts a batch's packets to one account)
 * @param packets credited STREAM packets checked
 * @param entries entries checked
 * @param entriesTotal sum of all entries (zero when consistent)
 * @param credited sum of the positive entries: all money received
 * @param differences one line per inconsistency; empty when consistent
 */
public record LedgerCheck(
    long accounts,
    long transfers,
    long packets,
    long entries,
    BigInteger entriesTotal,
    BigInteger credited,
    List<String> differences) {

  /** Whether the ledger is consistent. */
  public boolean consistent() {
    return differences.isEmpty();
  }
}
