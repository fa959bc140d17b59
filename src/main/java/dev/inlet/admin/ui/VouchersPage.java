package dev.inlet.admin.ui;

import dev.inlet.voucher.Vouchers;
import dev.inlet.web.Problems;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Vouchers: the table ({@code state} filter; search in id, account, note), a voucher's page with
 * its redemptions and events, and revoking it ({@code GET …/revoke} asks, {@code POST …/revoke}
 * does it through {@link Vouchers#revoke}: what it holds goes back to its account).
 */
final class VouchersPage extends TablePage {
  private static final Logger log = LoggerFactory.getLogger(VouchersPage.class);
  private static final String columns =
      "v.public_id, a.name, v.state, v.amount::text, (v.amount - v.released - h.balance)::text,"
          + " h.balance::text, v.released::text, a.asset_code, a.asset_scale, v.note,"
          + " inlet_time(v.created_at), inlet_time(v.expires_at), inlet_time(v.ended_at), m.name,"
          + " v.merchant_id FROM vouchers v JOIN accounts a ON a.id = v.account_id"
          + " JOIN accounts h ON h.id = v.holding_id LEFT JOIN merchants m ON m.id = v.merchant_id";

  private final JdbcClient jdbc;
  private final Vouchers vouchers;

  VouchersPage(DataSource dataSource, Vouchers vouchers) {
    this.jdbc = JdbcClient.create(dataSource);
    this.vouchers = vouchers;
  }

  @Override
  String name() {
    return "vouchers";
  }

  @Override
  String title() {
    return "Vouchers";
  }

  @Override
  List<Filter> filters() {
    return List.of(
        new Filter("state", "State", List.of("active", "redeemed", "expired", "revoked")));
  }

  @Override
  List<Map<String, Object>> rows(Query query, int limit, int offset) {
    Where where =
        new Where()
            .and("v.state = ?", query.filters().get("state"))
            .and(
                "(v.public_id ILIKE ? OR a.name ILIKE ? OR v.note ILIKE ?)",
                query.pattern(),
                query.pattern(),
                query.pattern());
    return jdbc.sql("SELECT " + columns + where.sql() + " ORDER BY v.id DESC LIMIT ? OFFSET ?")
        .params(where.params(limit, offset))
        .query(VouchersPage::voucher)
        .list();
  }

  /** {@code GET /admin/ui/vouchers/{id}}. */
  Mono<ServerResponse> detail(ServerRequest request) {
    String id = request.pathVariable("id");
    return Pages.row(request, "voucher", () -> detailModel(id), VouchersPage::unknown);
  }

  /** {@code GET /admin/ui/vouchers/{id}/revoke}: asks to confirm. */
  Mono<ServerResponse> confirmRevoke(ServerRequest request) {
    String id = request.pathVariable("id");
    return Pages.confirm(
        request,
        () -> find(id),
        VouchersPage::unknown,
        "vouchers",
        "Revoke voucher " + id + "?",
        "Its pointer stops paying out and what it still holds goes back to its account. This"
            + " cannot be undone.",
        Pages.base + "/vouchers/" + id + "/revoke",
        "Revoke voucher",
        Pages.base + "/vouchers/" + id);
  }

  /** {@code POST /admin/ui/vouchers/{id}/revoke}. */
  Mono<ServerResponse> revoke(ServerRequest request) {
    String id = request.pathVariable("id");
    return Pages.blocking(() -> vouchers.revoke(null, id))
        .flatMap(
            revoked -> {
              if (revoked.isEmpty()) {
                return unknown();
              }
              log.info("Voucher {} revoked from the dashboard", id);
              return Pages.seeOther(Pages.base + "/vouchers/" + id);
            });
  }

  private Optional<Map<String, Object>> find(String publicId) {
    return jdbc.sql("SELECT " + columns + " WHERE v.public_id = ?")
        .param(publicId)
        .query(VouchersPage::voucher)
        .optional();
  }

  private Optional<Map<String, Object>> detailModel(String publicId) {
    return find(publicId)
        .map(
            voucher -> {
              Map<String, Object> m = new LinkedHashMap<>(voucher);
              m.put(
                  "redemptions",
                  jdbc.sql(
                          "SELECT p.public_id, p.state, p.destination, p.sent::text, p.error,"
                              + " inlet_time(p.created_at), a.asset_code, a.asset_scale"
                              + " FROM payouts p JOIN vouchers v ON v.id = p.voucher_id"
                              + " JOIN accounts a ON a.id = v.account_id"
                              + " WHERE v.public_id = ? ORDER BY p.id DESC LIMIT 100")
                      .param(publicId)
                      .query(
                          (rs, n) -> {
                            Map<String, Object> r = new LinkedHashMap<>();
                            r.put("id", rs.getString(1));
                            r.put("state", rs.getString(2));
                            r.put("destination", rs.getString(3));
                            r.put(
                                "sent",
                                Money.format(rs.getString(4), rs.getInt(8), rs.getString(7)));
                            r.put("error", rs.getString(5));
                            r.put("createdAt", rs.getString(6));
                            return r;
                          })
                      .list());
              m.put("events", EventsPage.about(jdbc, voucher.get("merchantId"), publicId));
              return m;
            });
  }

  private static Map<String, Object> voucher(ResultSet rs, int n) throws SQLException {
    String code = rs.getString(8);
    int scale = rs.getInt(9);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", rs.getString(1));
    m.put("account", rs.getString(2));
    m.put("state", rs.getString(3));
    m.put("amount", Money.format(rs.getString(4), scale, code));
    m.put("paidOut", Money.format(rs.getString(5), scale, code));
    m.put("remaining", Money.format(rs.getString(6), scale, code));
    m.put("released", Money.format(rs.getString(7), scale, code));
    m.put("note", rs.getString(10));
    m.put("createdAt", rs.getString(11));
    m.put("expiresAt", rs.getString(12));
    m.put("endedAt", rs.getString(13));
    m.put("merchant", rs.getString(14));
    m.put("merchantId", rs.getObject(15));
    m.put("active", rs.getString(3).equals("active"));
    return m;
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-voucher", "No such voucher");
  }
}
