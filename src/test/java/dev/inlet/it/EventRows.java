package dev.inlet.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Events written by SQL as the ledger and invoice code write them ({@code INSERT INTO events}, its
 * own transaction here), and read back as the API must show them.
 */
final class EventRows {
  private final DataSource database;

  EventRows(DataSource database) {
    this.database = database;
  }

  /** The merchant's database id. */
  long merchantId(String name) throws SQLException {
    try (Connection c = database.getConnection();
        PreparedStatement st = c.prepareStatement("SELECT id FROM merchants WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Inserts a {@code payment.received} event for the merchant and returns its id. */
  long insert(long merchantId, String amount) throws SQLException {
    return insert(merchantId, amount, null);
  }

  /** The same, created {@code ageSeconds} ago when given. */
  long insert(long merchantId, String amount, Long ageSeconds) throws SQLException {
    return insert(merchantId, amount, ageSeconds, null);
  }

  /** The same, created at {@code createdAt} (a {@code timestamptz} literal) when given. */
  long insert(long merchantId, String amount, Long ageSeconds, String createdAt)
      throws SQLException {
    try (Connection c = database.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "INSERT INTO events (merchant_id, type, data, created_at) VALUES (?, 'payment.received', "
                    + "jsonb_build_object('account', 'shop', 'invoice', null, 'amount', ?::text), "
                    + "coalesce(?::timestamptz, now() - make_interval(secs => ?))) RETURNING id")) {
      st.setLong(1, merchantId);
      st.setString(2, amount);
      st.setString(3, createdAt);
      st.setLong(4, ageSeconds == null ? 0 : ageSeconds);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** {@code inlet_event_json(e)::text} of that event: what clients must get, byte for byte. */
  String json(long id) throws SQLException {
    try (Connection c = database.getConnection();
        PreparedStatement st =
            c.prepareStatement("SELECT inlet_event_json(e)::text FROM events e WHERE id = ?")) {
      st.setLong(1, id);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** The merchant's event ids, ascending. */
  List<Long> ids(long merchantId) throws SQLException {
    try (Connection c = database.getConnection();
        PreparedStatement st =
            c.prepareStatement("SELECT id FROM events WHERE merchant_id = ? ORDER BY id")) {
      st.setLong(1, merchantId);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }
}
