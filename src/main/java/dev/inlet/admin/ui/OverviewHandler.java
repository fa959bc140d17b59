package dev.inlet.admin.ui;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The overview ({@code GET /admin}, signed in): balances per asset, received today (UTC), open
 * invoices, payouts being sent and packets in doubt, the accounts, and the amount received per
 * account per minute over the last hour and per day over the last 30 days. Read on request only,
 * never on the packet path. Amounts are summed in SQL as numeric and formatted from the decimal
 * digits ({@link Money}); only the chart plots them as numbers.
 */
final class OverviewHandler {
  /** Accounts listed at most. */
  static final int maxAccounts = 200;

  private final JdbcClient jdbc;
  private final JsonMapper json;

  OverviewHandler(DataSource dataSource, JsonMapper json) {
    this.jdbc = JdbcClient.create(dataSource);
    this.json = json;
  }

  Mono<ServerResponse> overview(ServerRequest request) {
    return Pages.blocking(this::model).flatMap(m -> Pages.render(request, "overview", m));
  }

  private Map<String, Object> model() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "assets",
        jdbc.sql(
                "SELECT asset_code, asset_scale, sum(balance)::text, sum(balance - reserved)::text,"
                    + " count(*) FROM accounts WHERE kind = 'receiving'"
                    + " GROUP BY asset_code, asset_scale ORDER BY asset_code, asset_scale")
            .query(
                (rs, n) ->
                    Map.of(
                        "asset", rs.getString(1),
                        "balance", Money.format(rs.getString(3), rs.getInt(2), rs.getString(1)),
                        "available", Money.format(rs.getString(4), rs.getInt(2), rs.getString(1)),
                        "accounts", rs.getLong(5)))
            .list());
    m.put(
        "today",
        jdbc.sql(
                "SELECT a.asset_code, a.asset_scale, sum(e.amount)::text, count(DISTINCT t.id)"
                    + " FROM transfers t JOIN entries e ON e.transfer_id = t.id"
                    + " JOIN accounts a ON a.id = e.account_id"
                    + " WHERE t.kind = 'credit' AND a.kind = 'receiving' AND e.amount > 0"
                    + " AND t.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
                    + " GROUP BY a.asset_code, a.asset_scale ORDER BY a.asset_code")
            .query(
                (rs, n) ->
                    Map.of("amount", Money.format(rs.getString(3), rs.getInt(2), rs.getString(1))))
            .list());
    m.put(
        "openInvoices",
        jdbc.sql("SELECT count(*) FROM invoices WHERE state IN ('pending', 'processing')")
            .query(Long.class)
            .single());
    m.put(
        "sendingPayouts",
        jdbc.sql(
                "SELECT a.asset_code, a.asset_scale, count(*), sum(p.amount - p.sent)::text"
                    + " FROM payouts p JOIN accounts a ON a.id = p.account_id"
                    + " WHERE p.state = 'sending' GROUP BY a.asset_code, a.asset_scale")
            .query(
                (rs, n) ->
                    Map.of(
                        "count",
                        rs.getLong(3),
                        "amount",
                        Money.format(rs.getString(4), rs.getInt(2), rs.getString(1))))
            .list());
    m.put(
        "activeVouchers",
        jdbc.sql(
                "SELECT a.asset_code, a.asset_scale, count(*), sum(h.balance)::text"
                    + " FROM vouchers v JOIN accounts a ON a.id = v.account_id"
                    + " JOIN accounts h ON h.id = v.holding_id"
                    + " WHERE v.state = 'active' GROUP BY a.asset_code, a.asset_scale")
            .query(
                (rs, n) ->
                    Map.of(
                        "count",
                        rs.getLong(3),
                        "amount",
                        Money.format(rs.getString(4), rs.getInt(2), rs.getString(1))))
            .list());
    m.put(
        "inDoubt",
        jdbc.sql(
                "SELECT count(*) FROM outgoing_packets WHERE state = 'in_doubt'"
                    + " OR (state = 'prepared' AND expires_at < now())")
            .query(Long.class)
            .single());
    m.put(
        "accounts",
        jdbc.sql(
                "SELECT a.name, a.asset_code, a.asset_scale, a.balance::text,"
                    + " (a.balance - a.reserved)::text, a.received::text, a.receive_limit::text,"
                    + " m.name FROM accounts a LEFT JOIN merchants m ON m.id = a.merchant_id"
                    + " WHERE a.kind = 'receiving' ORDER BY a.name LIMIT ?")
            .param(maxAccounts)
            .query(OverviewHandler::account)
            .list());
    m.put("chartHour", chart("minute", "1 hour"));
    m.put("chartMonth", chart("day", "30 days"));
    return m;
  }

  private static Map<String, Object> account(ResultSet rs, int n) throws SQLException {
    int scale = rs.getInt(3);
    String code = rs.getString(2);
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("name", rs.getString(1));
    a.put("balance", Money.format(rs.getString(4), scale, code));
    a.put("available", Money.format(rs.getString(5), scale, code));
    a.put("received", Money.format(rs.getString(6), scale, code));
    a.put(
        "receiveLimit",
        rs.getString(7) == null ? "none" : Money.format(rs.getString(7), scale, code));
    a.put("merchant", rs.getString(8));
    return a;
  }

  /**
   * The chart's data as JSON for the page's script: {@code {"unit", "accounts": [{"name",
   * "asset_code", "asset_scale", "points": [[epoch seconds, "decimal units"], …]}]}}.
   */
  private String chart(String unit, String span) {
    Map<String, Map<String, Object>> byAccount = new LinkedHashMap<>();
    jdbc.sql(
            "SELECT a.name, a.asset_code, a.asset_scale,"
                + " extract(epoch FROM date_trunc('"
                + unit
                + "', t.created_at AT TIME ZONE 'UTC'))::bigint, sum(e.amount)::text"
                + " FROM transfers t JOIN entries e ON e.transfer_id = t.id"
                + " JOIN accounts a ON a.id = e.account_id"
                + " WHERE t.kind = 'credit' AND a.kind = 'receiving' AND e.amount > 0"
                + " AND t.created_at > now() - interval '"
                + span
                + "' GROUP BY 1, 2, 3, 4 ORDER BY 1, 4")
        .query(
            (ResultSet rs) -> {
              String assetCode = rs.getString(2);
              Map<String, Object> account =
                  byAccount.computeIfAbsent(
                      rs.getString(1),
                      name -> {
                        Map<String, Object> a = new LinkedHashMap<>();
                        a.put("name", name);
                        a.put("asset_code", assetCode);
                        a.put("points", new ArrayList<List<Object>>());
                        return a;
                      });
              @SuppressWarnings("unchecked")
              List<List<Object>> points = (List<List<Object>>) account.get("points");
              points.add(List.of(rs.getLong(4), Money.decimal(rs.getString(5), rs.getInt(3))));
            });
    // Inside <script type="application/json">: no "<" may close the element.
    return json.writeValueAsString(
            Map.of("unit", unit, "accounts", new ArrayList<>(byAccount.values())))
        .replace("<", "\\u003c");
  }
}
