package dev.inlet.admin.ui;

import dev.inlet.web.Problems;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Payments received: the STREAM connections that brought money ({@code total_received > 0}), with a
 * {@code state} filter (open, closed) and search in connection id, account, invoice and source
 * address; a payment's page shows its streams and the StreamData its sender sent.
 */
final class PaymentsPage extends TablePage {
  /** StreamData shown on a payment's page at most, bytes. */
  static final int maxDataShownBytes = 4_096;

  private static final String columns =
      "encode(c.id, 'hex'), a.name, i.public_id, c.source_address, c.total_received::text,"
          + " a.asset_code, a.asset_scale, c.packets_fulfilled, c.packets_rejected,"
          + " inlet_time(c.opened_at), inlet_time(c.last_packet_at), inlet_time(c.closed_at)"
          + " FROM connections c JOIN accounts a ON a.id = c.account_id"
          + " LEFT JOIN invoices i ON i.id = c.invoice_id";

  private final JdbcClient jdbc;

  PaymentsPage(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  @Override
  String name() {
    return "payments";
  }

  @Override
  String title() {
    return "Payments received";
  }

  @Override
  List<Filter> filters() {
    return List.of(new Filter("state", "State", List.of("open", "closed")));
  }

  @Override
  List<Map<String, Object>> rows(Query query, int limit, int offset) {
    String state = query.filters().get("state");
    Where where =
        new Where()
            .and("c.total_received > 0")
            .and(
                state == null
                    ? null
                    : state.equals("open") ? "c.closed_at IS NULL" : "c.closed_at IS NOT NULL")
            .and(
                "(encode(c.id, 'hex') ILIKE ? OR a.name ILIKE ? OR i.public_id ILIKE ?"
                    + " OR c.source_address ILIKE ?)",
                query.pattern(),
                query.pattern(),
                query.pattern(),
                query.pattern());
    return jdbc.sql(
            "SELECT " + columns + where.sql() + " ORDER BY c.opened_at DESC, c.id LIMIT ? OFFSET ?")
        .params(where.params(limit, offset))
        .query(PaymentsPage::payment)
        .list();
  }

  /** The payments of an invoice, oldest first. */
  static List<Map<String, Object>> forInvoice(JdbcClient jdbc, String invoicePublicId) {
    return jdbc.sql(
            "SELECT "
                + columns
                + " WHERE i.public_id = ? AND c.total_received > 0 ORDER BY c.opened_at, c.id")
        .param(invoicePublicId)
        .query(PaymentsPage::payment)
        .list();
  }

  /** {@code GET /admin/ui/payments/{id}} (the connection id, hex). */
  Mono<ServerResponse> detail(ServerRequest request) {
    String id = request.pathVariable("id");
    if (id.isEmpty()
        || id.length() > 128
        || id.length() % 2 != 0
        || !id.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return unknown();
    }
    return Pages.blocking(() -> detailModel(id.toLowerCase()))
        .flatMap(
            found ->
                found.isEmpty()
                    ? unknown()
                    : Pages.render(
                        request, "payment", Map.of("payment", found.get(), "nav", "payments")));
  }

  private Optional<Map<String, Object>> detailModel(String id) {
    return jdbc.sql("SELECT " + columns + " WHERE c.id = decode(?, 'hex')")
        .param(id)
        .query(PaymentsPage::payment)
        .optional()
        .map(
            payment -> {
              Map<String, Object> m = new LinkedHashMap<>(payment);
              String code = (String) payment.get("assetCode");
              int scale = (Integer) payment.get("assetScale");
              m.put(
                  "streams",
                  jdbc.sql(
                          "SELECT stream_id, received::text, receive_max::text, closed FROM streams"
                              + " WHERE connection_id = decode(?, 'hex') ORDER BY stream_id")
                      .param(id)
                      .query(
                          (rs, n) ->
                              Map.of(
                                  "id", rs.getLong(1),
                                  "received", Money.format(rs.getString(2), scale, code),
                                  "receiveMax", Money.limit(rs.getString(3), scale, code),
                                  "closed", rs.getBoolean(4)))
                      .list());
              byte[] data =
                  jdbc.sql(
                          "SELECT substring(string_agg(data, ''::bytea ORDER BY stream_id, \"offset\")"
                              + " FROM 1 FOR ?) FROM stream_data WHERE connection_id = decode(?, 'hex')")
                      .params(maxDataShownBytes, id)
                      .query(byte[].class)
                      .optional()
                      .orElse(null);
              m.put("data", data == null ? null : new String(data, StandardCharsets.UTF_8));
              return m;
            });
  }

  private static Map<String, Object> payment(ResultSet rs, int n) throws SQLException {
    String code = rs.getString(6);
    int scale = rs.getInt(7);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", rs.getString(1));
    m.put("account", rs.getString(2));
    m.put("invoice", rs.getString(3));
    m.put("sourceAddress", rs.getString(4));
    m.put("received", Money.format(rs.getString(5), scale, code));
    m.put("assetCode", code);
    m.put("assetScale", scale);
    m.put("fulfilled", rs.getLong(8));
    m.put("rejected", rs.getLong(9));
    m.put("openedAt", rs.getString(10));
    m.put("lastPacketAt", rs.getString(11));
    m.put("closedAt", rs.getString(12));
    m.put("state", rs.getString(12) == null ? "open" : "closed");
    return m;
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-payment", "No such payment");
  }
}
