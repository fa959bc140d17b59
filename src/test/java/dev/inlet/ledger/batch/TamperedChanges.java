package dev.inlet.ledger.batch;

/**
 * Corrupts a decided batch's per-account credits as a bug in the decider would, for tests of the
 * checks downstream of it (the batch statement's). Test code only.
 */
public final class TamperedChanges {
  private TamperedChanges() {}

  /**
   * Sets {@code account}'s credit in {@code changes} to {@code amount} (unsigned), adding the
   * account if absent.
   */
  public static void credit(BatchChanges changes, long account, long amount) {
    changes.credits.put(account, new long[] {amount});
  }

  /** Removes {@code account}'s credit from {@code changes}, leaving its packets credited. */
  public static void uncredit(BatchChanges changes, long account) {
    changes.credits.remove(account);
  }
}
