package dev.inlet.admin.ui;

import dev.inlet.events.EventType;
import dev.inlet.web.Problems;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events (the outbox every merchant's live stream and webhooks read): the table ({@code type}
 * filter; search in the event's data) and an event's page with its JSON as sent and its webhook
 * deliveries.
 */
final class EventsPage extends TablePage {
  private final JdbcClient jdbc;
  private final JsonMapper json;

  EventsPage(DataSource dataSource, JsonMapper json) {
    this.jdbc = JdbcClient.create(dataSource);
    this.json = json;
  }

  @Override
  String name() {
    return "events";
  }

  @Override
  String title() {
    return "Events";
  }

  @Override
  List<Filter> filters() {
    return List.of(
        new Filter(
            "type", "Type", Arrays.stream(EventType.values()).map(EventType::wireName).toList()));
  }

  @Override
  List<Map<String, Object>> rows(Query query, int limit, int offset) {
    Where where =
        new Where()
            .and("e.type = ?", query.filters().get("type"))
            .and("e.data::text ILIKE ?", query.pattern());
    return jdbc.sql(
            "SELECT e.id, e.type, m.name, inlet_time(e.created_at), e.data->>'id'"
                + " FROM events e LEFT JOIN merchants m ON m.id = e.merchant_id"
                + where.sql()
                + " ORDER BY e.id DESC LIMIT ? OFFSET ?")
        .params(where.params(limit, offset))
        .query(
            (rs, n) -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("id", rs.getLong(1));
              m.put("type", rs.getString(2));
              m.put("merchant", rs.getString(3));
              m.put("createdAt", rs.getString(4));
              m.put("subject", rs.getString(5));
              return m;
            })
        .list();
  }

  /** {@code GET /admin/ui/events/{id}}. */
  Mono<ServerResponse> detail(ServerRequest request) {
    String id = request.pathVariable("id");
    if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return unknown();
    }
    long eventId = Long.parseLong(id);
    return Pages.blocking(
            () ->
                jdbc.sql(
                        "SELECT inlet_event_json(e), e.type, m.name FROM events e"
                            + " LEFT JOIN merchants m ON m.id = e.merchant_id WHERE e.id = ?")
                    .param(eventId)
                    .query(
                        (rs, n) -> {
                          Map<String, Object> m = new LinkedHashMap<>();
                          m.put("id", eventId);
                          m.put(
                              "json",
                              json.writerWithDefaultPrettyPrinter()
                                  .writeValueAsString(json.readTree(rs.getString(1))));
                          m.put("type", rs.getString(2));
                          m.put("merchant", rs.getString(3));
                          return m;
                        })
                    .optional()
                    .map(
                        m -> {
                          m.put("deliveries", WebhooksPage.deliveriesOfEvent(jdbc, eventId));
                          return m;
                        }))
        .flatMap(
            found ->
                found.isEmpty()
                    ? unknown()
                    : Pages.render(
                        request, "event", Map.of("event", found.get(), "nav", "events")));
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-event", "No such event");
  }

  /**
   * The events about one invoice or voucher of a merchant (their data's {@code id} is its public
   * id), oldest first, at most 100: {@code id}, {@code type}, {@code createdAt}.
   */
  static List<Map<String, Object>> about(JdbcClient jdbc, Object merchantId, String publicId) {
    return jdbc.sql(
            "SELECT id, type, inlet_time(created_at) FROM events"
                + " WHERE merchant_id = ? AND data->>'id' = ? ORDER BY id LIMIT 100")
        .params(merchantId, publicId)
        .query(
            (rs, n) ->
                Map.<String, Object>of(
                    "id", rs.getLong(1), "type", rs.getString(2), "createdAt", rs.getString(3)))
        .list();
  }
}
