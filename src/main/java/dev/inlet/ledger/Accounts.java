package dev.inlet.ledger;

import java.util.List;
import java.util.Optional;

/**
 * Account reads and writes outside the packet path. Implementations block: call them off the event
 * loop.
 */
public interface Accounts {

  /**
   * Creates a receiving account in the given asset.
   *
   * @param receiveLimit the most it will ever receive (unsigned 64-bit) or null
   * @param merchantId the merchant that owns it, or null
   * @return the account, or empty when the name is taken
   */
  Optional<Account> create(
      String name, String assetCode, int assetScale, Long receiveLimit, Long merchantId);

  /** The receiving account of that name. */
  Optional<Account> findByName(String name);

  /** The receiving account with that id. */
  Optional<Account> findById(long id);

  /** The account's connections, newest first, at most {@code limit}. */
  List<ConnectionView> connections(long accountId, int limit);

  /** Recomputes every balance from the entries and compares (the double-entry invariants). */
  LedgerCheck check();
}
