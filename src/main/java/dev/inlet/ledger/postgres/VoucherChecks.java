package dev.inlet.ledger.postgres;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ledger check's rule for vouchers (db/V5), run in the check's snapshot: each voucher's amount
 * is what its redemptions paid out (postings from its holding account) + what was moved back to its
 * account (released) + what its holding account still holds, and what it released is what its
 * holding account's entries moved back.
 */
final class VoucherChecks {
  private VoucherChecks() {}

  static void check(JdbcClient jdbc, List<String> differences) {
    jdbc.sql(
            """
            SELECT v.public_id, v.amount, v.released, h.balance, x.paid_out, x.moved_back
            FROM vouchers v JOIN accounts h ON h.id = v.holding_id
            CROSS JOIN LATERAL (
              SELECT coalesce(sum(-e.amount) FILTER (WHERE t.kind = 'redemption'), 0) AS paid_out,
                     coalesce(sum(-e.amount) FILTER (WHERE t.kind = 'voucher' AND e.amount < 0), 0) AS moved_back
              FROM entries e JOIN transfers t ON t.id = e.transfer_id WHERE e.account_id = h.id) x
            WHERE v.amount::numeric <> x.paid_out + v.released + h.balance
               OR v.released::numeric <> x.moved_back
            LIMIT 100
            """)
        .query(
            rs -> {
              differences.add(
                  "voucher "
                      + rs.getString(1)
                      + ": amount "
                      + rs.getBigDecimal(2).toPlainString()
                      + " but paid out "
                      + rs.getBigDecimal(5).toPlainString()
                      + " + released "
                      + rs.getBigDecimal(3).toPlainString()
                      + " (moved back "
                      + rs.getBigDecimal(6).toPlainString()
                      + ") + held "
                      + rs.getBigDecimal(4).toPlainString());
            });
  }
}
