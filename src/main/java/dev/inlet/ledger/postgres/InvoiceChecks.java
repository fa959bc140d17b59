package dev.inlet.ledger.postgres;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ledger check's rule for invoices (db/V2, db/V8), run in the check's snapshot: every credit on
 * an invoice's connections is the invoice's, so what it has received (its row's amount and its
 * holder's credits since the hold began) is what its connections received, never past its amount;
 * and a holder has not passed its cap.
 */
final class InvoiceChecks {
  private InvoiceChecks() {}

  static void check(JdbcClient jdbc, List<String> differences) {
    jdbc.sql(
            """
            SELECT i.public_id, inlet_invoice_received(i), i.amount, x.paid, h.total_received, h.invoice_cap
            FROM invoices i
            CROSS JOIN LATERAL (
              SELECT coalesce(sum(c.total_received), 0) AS paid FROM connections c WHERE c.invoice_id = i.id) x
            LEFT JOIN connections h ON h.id = i.holder
            WHERE inlet_invoice_received(i) <> x.paid OR inlet_invoice_received(i) > i.amount
               OR h.total_received > h.invoice_cap OR (i.holder IS NOT NULL AND h.invoice_cap IS NULL)
            LIMIT 100
            """)
        .query(
            rs -> {
              differences.add(
                  "invoice "
                      + rs.getString(1)
                      + ": received "
                      + rs.getBigDecimal(2).toPlainString()
                      + " of "
                      + rs.getBigDecimal(3).toPlainString()
                      + " but its connections received "
                      + rs.getBigDecimal(4).toPlainString()
                      + (rs.getObject(5) == null
                          ? ""
                          : "; its holder has "
                              + rs.getBigDecimal(5).toPlainString()
                              + " of cap "
                              + rs.getString(6)));
            });
  }
}
