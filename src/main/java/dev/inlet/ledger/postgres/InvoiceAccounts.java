package dev.inlet.ledger.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Reads which account each invoice pays into: a connection token names the invoice only, and its
 * packets are credited to the invoice's account.
 */
final class InvoiceAccounts {
  private final DataSource dataSource;

  InvoiceAccounts(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * @return each of {@code invoiceIds} the database has, with its account
   */
  Map<Long, Long> read(Set<Long> invoiceIds) throws SQLException {
    Map<Long, Long> accounts = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement("SELECT id, account_id FROM invoices WHERE id = ANY (?)")) {
      st.setArray(1, c.createArrayOf("bigint", invoiceIds.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          accounts.put(rs.getLong(1), rs.getLong(2));
        }
      }
    }
    return accounts;
  }
}
