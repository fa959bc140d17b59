package dev.inlet.admission;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Accounts' own limits, table {@code account_limits} (db/V6). */
final class AccountLimitsStore {
  private final JdbcClient jdbc;

  AccountLimitsStore(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  /** Every account's own limits, by account id. */
  Map<Long, AccountLimits> all() {
    Map<Long, AccountLimits> all = new HashMap<>();
    jdbc.sql(
            "SELECT account_id, max_open_connections, max_connection_amount, connection_flow_rate, "
                + "account_flow_rate, sender_flow_rate, deny_prefixes FROM account_limits")
        .query(
            rs -> {
              all.put(rs.getLong(1), limits(rs));
            });
    return all;
  }

  /** Sets (replaces) account {@code accountId}'s own limits. */
  void put(long accountId, AccountLimits l) {
    jdbc.sql(
            "INSERT INTO account_limits (account_id, max_open_connections, max_connection_amount, "
                + "connection_flow_rate, account_flow_rate, sender_flow_rate, deny_prefixes) "
                + "VALUES (?, ?, ?::numeric, ?::numeric, ?::numeric, ?::numeric, ?::text[]) "
                + "ON CONFLICT (account_id) DO UPDATE SET max_open_connections = excluded.max_open_connections, "
                + "max_connection_amount = excluded.max_connection_amount, "
                + "connection_flow_rate = excluded.connection_flow_rate, "
                + "account_flow_rate = excluded.account_flow_rate, "
                + "sender_flow_rate = excluded.sender_flow_rate, deny_prefixes = excluded.deny_prefixes, "
                + "updated_at = now()")
        .params(
            accountId,
            l.maxOpenConnections(),
            text(l.maxConnectionAmount()),
            text(l.connectionFlowRate()),
            text(l.accountFlowRate()),
            text(l.senderFlowRate()),
            arrayLiteral(l.denyPrefixes()))
        .update();
  }

  /**
   * Open connections (not closed, a packet within {@code idleSeconds}) of account {@code
   * accountId}, and of all accounts.
   */
  long[] openConnections(long accountId, long idleSeconds) {
    return jdbc.sql(
            "SELECT count(*) FILTER (WHERE account_id = ?), count(*) FROM connections "
                + "WHERE closed_at IS NULL AND last_packet_at > now() - make_interval(secs => ?)")
        .params(accountId, (double) idleSeconds)
        .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)})
        .single();
  }

  /** The account invoice {@code invoiceId} pays into; 0 for none. */
  long invoiceAccount(long invoiceId) {
    return jdbc.sql("SELECT account_id FROM invoices WHERE id = ?")
        .param(invoiceId)
        .query(Long.class)
        .optional()
        .orElse(0L);
  }

  private static AccountLimits limits(ResultSet rs) throws SQLException {
    Integer max = rs.getObject(2) == null ? null : rs.getInt(2);
    Array prefixes = rs.getArray(7);
    return new AccountLimits(
        max,
        amount(rs.getBigDecimal(3)),
        amount(rs.getBigDecimal(4)),
        amount(rs.getBigDecimal(5)),
        amount(rs.getBigDecimal(6)),
        List.of((String[]) prefixes.getArray()));
  }

  private static Long amount(BigDecimal value) {
    return value == null ? null : value.toBigIntegerExact().longValue();
  }

  private static String text(Long amount) {
    return amount == null ? null : Long.toUnsignedString(amount);
  }

  /** A text[] literal; prefixes are ILP addresses (no quotes, braces or backslashes in them). */
  private static String arrayLiteral(List<String> values) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : ",").append('"').append(values.get(i)).append('"');
    }
    return b.append('}').toString();
  }
}
