package dev.inlet.ledger.postgres;

import dev.inlet.ledger.BatchWrites;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The plan PostgreSQL chooses for the ledger's batch statement ({@link BatchWrite}), for tests. */
public final class BatchPlans {
  private BatchPlans() {}

  /** {@code EXPLAIN} of the statement that would write {@code writes}; nothing is written. */
  public static String explain(Connection c, long connectorAccountId, BatchWrites writes) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("EXPLAIN " + BatchWrite.sql)) {
      new BatchWrite(connectorAccountId).bindAll(c, st, writes);
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
