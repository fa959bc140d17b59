package dev.inlet.ledger.postgres;

import dev.inlet.ledger.batch.BatchChanges;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The plan PostgreSQL chooses for the ledger's batch statement ({@link BatchStatement}), for tests.
 */
public final class BatchPlans {
  private BatchPlans() {}

  /** {@code EXPLAIN} of the statement that would write {@code changes}; nothing is written. */
  public static String explain(Connection c, long connectorAccountId, BatchChanges changes)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("EXPLAIN " + BatchSql.of(changes))) {
      new BatchStatement(connectorAccountId).bindAll(st, changes);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }
}
