package dev.inlet.admin.ui;

import dev.inlet.invoice.Invoices;
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
 * Invoices: the table ({@code state} filter; search in id, account, description, reference), an
 * invoice's page with its payments and events, and cancelling it ({@code GET …/cancel} asks, {@code
 * POST …/cancel} does it through {@link Invoices#cancel}, writing {@code invoice.cancelled}).
 */
final class InvoicesPage extends TablePage {
  private static final Logger log = LoggerFactory.getLogger(InvoicesPage.class);
  private static final String columns =
      "i.public_id, a.name, i.state, i.amount::text, inlet_invoice_received(i)::text, a.asset_code, a.asset_scale,"
          + " i.description, i.reference, inlet_time(i.created_at), inlet_time(i.expires_at),"
          + " inlet_time(i.ended_at), m.name, i.merchant_id"
          + " FROM invoices i JOIN accounts a ON a.id = i.account_id"
          + " JOIN merchants m ON m.id = i.merchant_id";

  private final JdbcClient jdbc;
  private final Invoices invoices;

  InvoicesPage(DataSource dataSource, Invoices invoices) {
    this.jdbc = JdbcClient.create(dataSource);
    this.invoices = invoices;
  }

  @Override
  String name() {
    return "invoices";
  }

  @Override
  String title() {
    return "Invoices";
  }

  @Override
  List<Filter> filters() {
    return List.of(
        new Filter(
            "state",
            "State",
            List.of("pending", "processing", "completed", "expired", "cancelled")));
  }

  @Override
  List<Map<String, Object>> rows(Query query, int limit, int offset) {
    Where where =
        new Where()
            .and("i.state = ?", query.filters().get("state"))
            .and(
                "(i.public_id ILIKE ? OR a.name ILIKE ? OR i.description ILIKE ?"
                    + " OR i.reference ILIKE ?)",
                query.pattern(),
                query.pattern(),
                query.pattern(),
                query.pattern());
    return jdbc.sql(
            "SELECT "
                + columns
                + where.sql()
                + " ORDER BY i.created_at DESC, i.id DESC LIMIT ? OFFSET ?")
        .params(where.params(limit, offset))
        .query(InvoicesPage::invoice)
        .list();
  }

  /** {@code GET /admin/ui/invoices/{id}}. */
  Mono<ServerResponse> detail(ServerRequest request) {
    String id = request.pathVariable("id");
    return Pages.row(request, "invoice", () -> detailModel(id), InvoicesPage::unknown);
  }

  /** {@code GET /admin/ui/invoices/{id}/cancel}: asks to confirm. */
  Mono<ServerResponse> confirmCancel(ServerRequest request) {
    String id = request.pathVariable("id");
    return Pages.confirm(
        request,
        () -> find(id),
        InvoicesPage::unknown,
        "invoices",
        "Cancel invoice " + id + "?",
        "It stops accepting payments and its merchant gets invoice.cancelled. This cannot be"
            + " undone.",
        Pages.base + "/invoices/" + id + "/cancel",
        "Cancel invoice",
        Pages.base + "/invoices/" + id);
  }

  /** {@code POST /admin/ui/invoices/{id}/cancel}. */
  Mono<ServerResponse> cancel(ServerRequest request) {
    String id = request.pathVariable("id");
    return Pages.blocking(
            () -> find(id).map(invoice -> invoices.cancel((Long) invoice.get("merchantId"), id)))
        .flatMap(
            outcome -> {
              if (outcome.isEmpty() || outcome.get() instanceof Invoices.NotFound) {
                return unknown();
              }
              if (outcome.get() instanceof Invoices.NotCancellable n) {
                return Problems.respond(
                    HttpStatus.CONFLICT,
                    "invoice-not-cancellable",
                    "The invoice is " + n.state() + " and can no longer be cancelled");
              }
              log.info("Invoice {} cancelled from the dashboard", id);
              return Pages.seeOther(Pages.base + "/invoices/" + id);
            });
  }

  private Optional<Map<String, Object>> find(String publicId) {
    return jdbc.sql("SELECT " + columns + " WHERE i.public_id = ?")
        .param(publicId)
        .query(InvoicesPage::invoice)
        .optional();
  }

  private Optional<Map<String, Object>> detailModel(String publicId) {
    return find(publicId)
        .map(
            invoice -> {
              Map<String, Object> m = new LinkedHashMap<>(invoice);
              m.put("payments", PaymentsPage.forInvoice(jdbc, publicId));
              m.put("events", EventsPage.about(jdbc, invoice.get("merchantId"), publicId));
              return m;
            });
  }

  private static Map<String, Object> invoice(ResultSet rs, int n) throws SQLException {
    String code = rs.getString(6);
    int scale = rs.getInt(7);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", rs.getString(1));
    m.put("account", rs.getString(2));
    m.put("state", rs.getString(3));
    m.put("amount", Money.format(rs.getString(4), scale, code));
    m.put("received", Money.format(rs.getString(5), scale, code));
    m.put("description", rs.getString(8));
    m.put("reference", rs.getString(9));
    m.put("createdAt", rs.getString(10));
    m.put("expiresAt", rs.getString(11));
    m.put("endedAt", rs.getString(12));
    m.put("merchant", rs.getString(13));
    m.put("merchantId", rs.getLong(14));
    m.put("open", Invoices.takesPayments(rs.getString(3)));
    return m;
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-invoice", "No such invoice");
  }
}
