package dev.inlet.admin.ui;

import dev.inlet.web.Problems;
import dev.inlet.webhook.Webhooks;
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
 * Webhook endpoints of every merchant: the table (search in id, merchant, URL; {@code health}
 * filter: with failed or pending deliveries), an endpoint's page with its deliveries (attempts,
 * last status, next retry) and a retry button on each undelivered one ({@code POST
 * …/deliveries/{delivery}/retry}, through {@link Webhooks#retry}: due now, attempts from zero).
 */
final class WebhooksPage extends TablePage {
  private static final Logger log = LoggerFactory.getLogger(WebhooksPage.class);

  /** Deliveries shown per page of an endpoint. */
  static final int deliveriesShown = 50;

  private final JdbcClient jdbc;
  private final Webhooks webhooks;

  WebhooksPage(DataSource dataSource, Webhooks webhooks) {
    this.jdbc = JdbcClient.create(dataSource);
    this.webhooks = webhooks;
  }

  @Override
  String name() {
    return "webhooks";
  }

  @Override
  String title() {
    return "Webhook endpoints";
  }

  @Override
  List<Filter> filters() {
    return List.of(new Filter("health", "Deliveries", List.of("failed", "pending")));
  }

  @Override
  List<Map<String, Object>> rows(Query query, int limit, int offset) {
    String health = query.filters().get("health");
    Where where =
        new Where()
            .and("w.deleted_at IS NULL")
            .and(
                health == null
                    ? null
                    : "EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id"
                        + " AND d.state = '"
                        + (health.equals("failed") ? "failed" : "pending")
                        + "')")
            .and(
                "(w.public_id ILIKE ? OR m.name ILIKE ? OR w.url ILIKE ?)",
                query.pattern(),
                query.pattern(),
                query.pattern());
    return jdbc.sql(
            "SELECT " + endpointColumns + where.sql() + " ORDER BY w.id DESC LIMIT ? OFFSET ?")
        .params(where.params(limit, offset))
        .query(WebhooksPage::endpoint)
        .list();
  }

  private static final String endpointColumns =
      "w.public_id, m.name, w.url, array_to_string(w.events, ', '), inlet_time(w.created_at),"
          + " (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id"
          + "  AND d.state = 'pending'),"
          + " (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id"
          + "  AND d.state = 'failed'), w.id"
          + " FROM webhooks w JOIN merchants m ON m.id = w.merchant_id";

  /** {@code GET /admin/ui/webhooks/{id}?after=whd_…}. */
  Mono<ServerResponse> detail(ServerRequest request) {
    String id = request.pathVariable("id");
    String after = request.queryParam("after").filter(a -> !a.isEmpty()).orElse(null);
    if (after != null && after.length() > 64) {
      return unknown();
    }
    return Pages.blocking(() -> find(id))
        .flatMap(
            found -> {
              if (found.isEmpty()) {
                return unknown();
              }
              Map<String, Object> endpoint = found.get();
              return Pages.blocking(
                      () -> webhooks.deliveries((Long) endpoint.get("key"), deliveriesShown, after))
                  .flatMap(
                      page ->
                          page.isEmpty()
                              ? unknown()
                              : Pages.render(
                                  request,
                                  "webhook",
                                  Map.of(
                                      "nav",
                                      "webhooks",
                                      "webhook",
                                      endpoint,
                                      "deliveries",
                                      page.get().items(),
                                      "next",
                                      page.get().nextCursor() == null
                                          ? ""
                                          : page.get().nextCursor())));
            });
  }

  /** {@code POST /admin/ui/webhooks/{id}/deliveries/{delivery}/retry}. */
  Mono<ServerResponse> retry(ServerRequest request) {
    String id = request.pathVariable("id");
    String delivery = request.pathVariable("delivery");
    return Pages.blocking(() -> find(id).map(w -> webhooks.retry((Long) w.get("key"), delivery)))
        .flatMap(
            outcome -> {
              if (outcome.isEmpty() || outcome.get() == Webhooks.Retry.UNKNOWN) {
                return unknown();
              }
              if (outcome.get() == Webhooks.Retry.DELIVERED) {
                return Problems.respond(
                    HttpStatus.CONFLICT,
                    "delivery-already-delivered",
                    "The delivery was delivered: nothing to retry");
              }
              log.info("Webhook delivery {} of {} retried from the dashboard", delivery, id);
              return Pages.seeOther(Pages.base + "/webhooks/" + id);
            });
  }

  /** The deliveries of one event, to every endpoint. */
  static List<Map<String, Object>> deliveriesOfEvent(JdbcClient jdbc, long eventId) {
    return jdbc.sql(
            "SELECT w.public_id, d.public_id, d.state, d.attempts, d.last_status,"
                + " inlet_time(d.last_attempt_at), inlet_time(d.next_attempt_at)"
                + " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                + " WHERE d.event_id = ? ORDER BY d.id")
        .param(eventId)
        .query(
            (rs, n) -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("webhook", rs.getString(1));
              m.put("id", rs.getString(2));
              m.put("state", rs.getString(3));
              m.put("attempts", rs.getInt(4));
              int status = rs.getInt(5);
              m.put("lastStatus", rs.wasNull() ? null : status);
              m.put("lastAttemptAt", rs.getString(6));
              m.put("nextAttemptAt", rs.getString(7));
              return m;
            })
        .list();
  }

  private Optional<Map<String, Object>> find(String publicId) {
    return jdbc.sql("SELECT " + endpointColumns + " WHERE w.public_id = ?")
        .param(publicId)
        .query(WebhooksPage::endpoint)
        .optional();
  }

  private static Map<String, Object> endpoint(ResultSet rs, int n) throws SQLException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", rs.getString(1));
    m.put("merchant", rs.getString(2));
    m.put("url", rs.getString(3));
    m.put("events", rs.getString(4));
    m.put("createdAt", rs.getString(5));
    m.put("pending", rs.getLong(6));
    m.put("failed", rs.getLong(7));
    m.put("key", rs.getLong(8));
    return m;
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-webhook", "No such webhook or delivery");
  }
}
