package dev.inlet.voucher;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The receiving account a voucher or mandate pays out of. */
record Owner(long id, Long merchantId) {

  /**
   * Finds and locks the account named {@code name} (the merchant's when {@code merchantId} is not
   * null), in the caller's transaction.
   */
  static Optional<Owner> lock(JdbcClient jdbc, String name, Long merchantId) {
    return jdbc.sql(
            "SELECT id, merchant_id FROM accounts WHERE name = ? AND kind = 'receiving'"
                + " AND (?::bigint IS NULL OR merchant_id = ?) FOR NO KEY UPDATE")
        .params(name, merchantId, merchantId)
        .query((rs, n) -> new Owner(rs.getLong(1), (Long) rs.getObject(2)))
        .optional();
  }
}
