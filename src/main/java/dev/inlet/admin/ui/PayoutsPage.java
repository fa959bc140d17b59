package dev.inlet.admin.ui;

import dev.inlet.payout.InDoubtPackets;
import dev.inlet.web.Amounts;
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
 * Payouts and refunds: the table ({@code kind} and {@code state} filters; search in id, account,
 * receiver, destination), a payout's page with its outgoing packets, and resolving an in-doubt
 * packet ({@code GET …/packets/{sequence}/resolve} asks, {@code POST} records it through {@link
 * InDoubtPackets#resolve}, as {@code POST /admin/payouts/{id}/packets/{sequence}} does).
 */
final class PayoutsPage extends TablePage {
  private static final Logger log = LoggerFactory.getLogger(PayoutsPage.class);

  /** Outgoing packets shown on a payout's page at most. */
  static final int maxPacketsShown = 500;

  private static final String columns =
      "p.public_id, p.kind, a.name, p.state, p.receiver, p.destination, p.amount::text,"
          + " p.sent::text, p.delivered::text, a.asset_code, a.asset_scale, p.error,"
          + " inlet_time(p.created_at), inlet_time(p.ended_at), p.transfer_id"
          + " FROM payouts p JOIN accounts a ON a.id = p.account_id";

  private final JdbcClient jdbc;
  private final InDoubtPackets inDoubt;

  PayoutsPage(DataSource dataSource, InDoubtPackets inDoubt) {
    this.jdbc = JdbcClient.create(dataSource);
    this.inDoubt = inDoubt;
  }

  @Override
  String name() {
    return "payouts";
  }

  @Override
  String title() {
    return "Payouts and refunds";
  }

  @Override
  List<Filter> filters() {
    return List.of(
        new Filter("kind", "Kind", List.of("payout", "refund", "redemption", "pull")),
        new Filter("state", "State", List.of("sending", "completed", "failed")));
  }

  @Override
  List<Map<String, Object>> rows(Query query, int limit, int offset) {
    Where where =
        new Where()
            .and("p.kind = ?", query.filters().get("kind"))
            .and("p.state = ?", query.filters().get("state"))
            .and(
                "(p.public_id ILIKE ? OR a.name ILIKE ? OR p.receiver ILIKE ?"
                    + " OR p.destination ILIKE ?)",
                query.pattern(),
                query.pattern(),
                query.pattern(),
                query.pattern());
    return jdbc.sql("SELECT " + columns + where.sql() + " ORDER BY p.id DESC LIMIT ? OFFSET ?")
        .params(where.params(limit, offset))
        .query(PayoutsPage::payout)
        .list();
  }

  /** {@code GET /admin/ui/payouts/{id}}. */
  Mono<ServerResponse> detail(ServerRequest request) {
    String id = request.pathVariable("id");
    return Pages.row(request, "payout", () -> detailModel(id), PayoutsPage::unknown);
  }

  /** {@code GET /admin/ui/payouts/{id}/packets/{sequence}/resolve}: the form to confirm. */
  Mono<ServerResponse> confirmResolve(ServerRequest request) {
    String id = request.pathVariable("id");
    String sequence = request.pathVariable("sequence");
    if (!isSequence(sequence)) {
      return unknownPacket();
    }
    return Pages.render(
        request,
        "resolve",
        Map.of(
            "nav",
            "payouts",
            "payout",
            id,
            "sequence",
            sequence,
            "action",
            Pages.base + "/payouts/" + id + "/packets/" + sequence + "/resolve",
            "back",
            Pages.base + "/payouts/" + id));
  }

  /**
   * {@code POST /admin/ui/payouts/{id}/packets/{sequence}/resolve} with {@code outcome} (fulfilled,
   * rejected) and, when fulfilled, {@code delivered} (the receiver's units).
   */
  Mono<ServerResponse> resolve(ServerRequest request) {
    String id = request.pathVariable("id");
    String sequence = request.pathVariable("sequence");
    if (!isSequence(sequence)) {
      return unknownPacket();
    }
    return request
        .formData()
        .flatMap(
            form -> {
              String outcome = form.getFirst("outcome");
              if (!"fulfilled".equals(outcome) && !"rejected".equals(outcome)) {
                return Problems.respond(
                    HttpStatus.BAD_REQUEST, "invalid-outcome", "outcome: fulfilled or rejected");
              }
              long delivered = 0;
              if (outcome.equals("fulfilled")) {
                try {
                  delivered = Amounts.parse(form.getFirst("delivered"));
                } catch (IllegalArgumentException e) {
                  return Problems.respond(
                      HttpStatus.BAD_REQUEST, "invalid-amount", "delivered: " + e.getMessage());
                }
              }
              long amount = delivered;
              boolean fulfilled = outcome.equals("fulfilled");
              return Pages.blocking(
                      () -> inDoubt.resolve(id, Long.parseLong(sequence), fulfilled, amount))
                  .flatMap(
                      resolved -> {
                        if (resolved instanceof InDoubtPackets.NotInDoubt) {
                          return Problems.respond(
                              HttpStatus.CONFLICT,
                              "packet-not-in-doubt",
                              "No such packet in doubt: answered already, or its payout is still"
                                  + " sending");
                        }
                        log.info(
                            "Packet {} of payout {} resolved {} from the dashboard",
                            sequence,
                            id,
                            outcome);
                        return Pages.seeOther(Pages.base + "/payouts/" + id);
                      });
            });
  }

  private Optional<Map<String, Object>> detailModel(String publicId) {
    return jdbc.sql("SELECT " + columns + " WHERE p.public_id = ?")
        .param(publicId)
        .query(PayoutsPage::payout)
        .optional()
        .map(
            payout -> {
              Map<String, Object> m = new LinkedHashMap<>(payout);
              String code = (String) payout.get("assetCode");
              int scale = (Integer) payout.get("assetScale");
              m.put(
                  "packets",
                  jdbc.sql(
                          "SELECT o.sequence, o.amount::text, o.min_delivered::text, o.delivered::text,"
                              + " CASE WHEN o.state = 'prepared' AND o.expires_at < now()"
                              + " AND p.state <> 'sending' THEN 'in_doubt' ELSE o.state END,"
                              + " inlet_time(o.expires_at), inlet_time(o.answered_at)"
                              + " FROM outgoing_packets o JOIN payouts p ON p.transfer_id = o.transfer_id"
                              + " WHERE p.public_id = ? ORDER BY o.sequence LIMIT ?")
                      .params(publicId, maxPacketsShown)
                      .query(
                          (rs, n) -> {
                            Map<String, Object> p = new LinkedHashMap<>();
                            p.put("sequence", rs.getLong(1));
                            p.put("amount", Money.format(rs.getString(2), scale, code));
                            p.put("minDelivered", rs.getString(3));
                            p.put("delivered", rs.getString(4));
                            p.put("state", rs.getString(5));
                            p.put("expiresAt", rs.getString(6));
                            p.put("answeredAt", rs.getString(7));
                            return p;
                          })
                      .list());
              return m;
            });
  }

  private static Map<String, Object> payout(ResultSet rs, int n) throws SQLException {
    String code = rs.getString(10);
    int scale = rs.getInt(11);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", rs.getString(1));
    m.put("kind", rs.getString(2));
    m.put("account", rs.getString(3));
    m.put("state", rs.getString(4));
    m.put("receiver", rs.getString(5));
    m.put("destination", rs.getString(6));
    m.put("amount", Money.format(rs.getString(7), scale, code));
    m.put("sent", Money.format(rs.getString(8), scale, code));
    m.put("delivered", rs.getString(9));
    m.put("assetCode", code);
    m.put("assetScale", scale);
    m.put("error", rs.getString(12));
    m.put("createdAt", rs.getString(13));
    m.put("endedAt", rs.getString(14));
    return m;
  }

  private static boolean isSequence(String s) {
    return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-payout", "No such payout");
  }

  private static Mono<ServerResponse> unknownPacket() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-packet", "No such packet");
  }
}
