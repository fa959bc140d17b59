package dev.inlet.ledger.postgres;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ledger check's rules for money that leaves (db/V4), run in the check's snapshot: each
 * reservation posted exactly what its postings moved, each posting moved exactly its fulfilled
 * packets, and each account's reserved amount is what its pending reservations still hold. (Amount
 * = posted + released + remaining, and available ≥ 0, are CHECK constraints.)
 */
final class OutgoingChecks {
  private OutgoingChecks() {}

  static void check(JdbcClient jdbc, List<String> differences) {
    jdbc.sql(
            "SELECT r.id, r.posted, coalesce(sum(p.amount), 0) FROM transfers r "
                + "LEFT JOIN transfers p ON p.pending_id = r.id WHERE r.account_id IS NOT NULL "
                + "GROUP BY r.id HAVING r.posted::numeric <> coalesce(sum(p.amount), 0) LIMIT 100")
        .query(
            rs -> {
              differences.add(
                  "reservation "
                      + rs.getLong(1)
                      + " posted "
                      + rs.getBigDecimal(2).toPlainString()
                      + " but its postings move "
                      + rs.getBigDecimal(3).toPlainString());
            });
    jdbc.sql(
            "SELECT t.id, t.amount, t.packets, coalesce(sum(o.amount), 0), count(o.sequence) "
                + "FROM transfers t LEFT JOIN outgoing_packets o ON o.posted_by = t.id "
                + "WHERE t.pending_id IS NOT NULL GROUP BY t.id "
                + "HAVING t.amount::numeric <> coalesce(sum(o.amount), 0) OR t.packets <> count(o.sequence) "
                + "LIMIT 100")
        .query(
            rs -> {
              differences.add(
                  "posting "
                      + rs.getLong(1)
                      + " moves "
                      + rs.getBigDecimal(2).toPlainString()
                      + " in "
                      + rs.getLong(3)
                      + " packets, but its fulfilled packets sum to "
                      + rs.getBigDecimal(4).toPlainString()
                      + " in "
                      + rs.getLong(5));
            });
    jdbc.sql(
            "SELECT a.name, a.reserved, coalesce(sum(r.remaining), 0) FROM accounts a "
                + "LEFT JOIN transfers r ON r.account_id = a.id AND r.state = 'pending' GROUP BY a.id "
                + "HAVING a.reserved <> coalesce(sum(r.remaining), 0)")
        .query(
            rs -> {
              differences.add(
                  "account "
                      + rs.getString(1)
                      + ": reserved "
                      + rs.getBigDecimal(2).toPlainString()
                      + " but its pending reservations hold "
                      + rs.getBigDecimal(3).toPlainString());
            });
  }
}
