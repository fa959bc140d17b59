package dev.inlet.webhook;

import dev.inlet.web.PublicIds;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Merchants' webhooks and their deliveries in PostgreSQL (db/V2 {@code webhooks}, {@code
 * webhook_deliveries}), as the merchant API reads and changes them. Every query is scoped by the
 * merchant's id. Times come as RFC 3339 strings ({@code inlet_time}). Blocking: call off the event
 * loop.
 */
public final class Webhooks {
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;

  public Webhooks(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /**
   * A webhook as listed (never its secret).
   *
   * @param id database id, never shown
   * @param publicId {@code wh_…}
   * @param events event type wire names it receives
   * @param createdAt RFC 3339
   */
  public record Webhook(
      long id, String publicId, String url, List<String> events, String createdAt) {
    /** The API's JSON shape: {@code id, url, events, created_at}. */
    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", publicId);
      m.put("url", url);
      m.put("events", events);
      m.put("created_at", createdAt);
      return m;
    }
  }

  /** A page of deliveries, newest first; {@code nextCursor} null on the last page. */
  public record Page(List<Map<String, Object>> items, String nextCursor) {}

  /** What {@link #retry} did. */
  public enum Retry {
    /** Pending again, due now, with a fresh attempt budget. */
    SCHEDULED,
    /** No such delivery of that webhook. */
    UNKNOWN,
    /** Already delivered: nothing to retry. */
    DELIVERED
  }

  private static final String columns =
      "id, public_id, url, events, inlet_time(created_at) AS created_at";

  /**
   * Creates a webhook that receives the events written from now on (its {@code last_event_id} is
   * the newest event's id).
   *
   * @return the webhook, or empty when the merchant already has {@code maxPerMerchant} live ones
   */
  public Optional<Webhook> create(
      long merchantId, String url, List<String> events, byte[] sealedSecret, int maxPerMerchant) {
    return transaction.execute(
        status -> {
          // The merchant's row serializes concurrent creates, so the count holds at insert.
          jdbc.sql("SELECT 1 FROM merchants WHERE id = ? FOR UPDATE")
              .param(merchantId)
              .query()
              .listOfRows();
          long live =
              jdbc.sql("SELECT count(*) FROM webhooks WHERE merchant_id = ? AND deleted_at IS NULL")
                  .param(merchantId)
                  .query(Long.class)
                  .single();
          if (live >= maxPerMerchant) {
            return Optional.empty();
          }
          return Optional.of(
              jdbc.sql(
                      "INSERT INTO webhooks (public_id, merchant_id, url, events, secret, last_event_id) "
                          + "VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM events)) "
                          + "RETURNING "
                          + columns)
                  .params(
                      PublicIds.webhooks.generate(),
                      merchantId,
                      url,
                      events.toArray(String[]::new),
                      sealedSecret)
                  .query(Webhooks::webhook)
                  .single());
        });
  }

  /** The merchant's live webhooks, oldest first. */
  public List<Webhook> list(long merchantId) {
    return jdbc.sql(
            "SELECT "
                + columns
                + " FROM webhooks WHERE merchant_id = ? AND deleted_at IS NULL ORDER BY id")
        .param(merchantId)
        .query(Webhooks::webhook)
        .list();
  }

  /** The merchant's live webhook with that public id. */
  public Optional<Webhook> find(long merchantId, String publicId) {
    return jdbc.sql(
            "SELECT "
                + columns
                + " FROM webhooks WHERE merchant_id = ? AND public_id = ? AND deleted_at IS NULL")
        .params(merchantId, publicId)
        .query(Webhooks::webhook)
        .optional();
  }

  /**
   * Deletes the webhook (kept, marked deleted, with its deliveries for the record); its pending
   * deliveries become failed, so none is attempted again.
   *
   * @return whether the merchant had such a live webhook
   */
  public boolean delete(long merchantId, String publicId) {
    return transaction.execute(
        status -> {
          Optional<Long> id =
              jdbc.sql(
                      "UPDATE webhooks SET deleted_at = now() WHERE merchant_id = ? AND public_id = ? "
                          + "AND deleted_at IS NULL RETURNING id")
                  .params(merchantId, publicId)
                  .query(Long.class)
                  .optional();
          id.ifPresent(
              webhookId ->
                  jdbc.sql(
                          "UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL, "
                              + "last_error = 'webhook deleted' WHERE webhook_id = ? AND state = 'pending'")
                      .param(webhookId)
                      .update());
          return id.isPresent();
        });
  }

  /**
   * A page of the webhook's deliveries, newest first.
   *
   * @param after the cursor of the previous page (a delivery's public id), or null for the first
   * @return the page, or empty when {@code after} is not a delivery of this webhook
   */
  public Optional<Page> deliveries(long webhookId, int limit, String after) {
    Long before = null;
    if (after != null) {
      Optional<Long> found =
          jdbc.sql("SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND public_id = ?")
              .params(webhookId, after)
              .query(Long.class)
              .optional();
      if (found.isEmpty()) {
        return Optional.empty();
      }
      before = found.get();
    }
    List<Map<String, Object>> rows =
        jdbc.sql(
                """
                SELECT d.public_id, d.event_id, e.type, d.state, d.attempts, d.last_status,
                       d.last_error, inlet_time(d.last_attempt_at), inlet_time(d.next_attempt_at),
                       inlet_time(d.delivered_at), inlet_time(d.created_at)
                FROM webhook_deliveries d LEFT JOIN events e ON e.id = d.event_id
                WHERE d.webhook_id = ? AND d.id < ? ORDER BY d.id DESC LIMIT ?
                """)
            .params(webhookId, before == null ? Long.MAX_VALUE : before, limit + 1)
            .query(Webhooks::delivery)
            .list();
    List<Map<String, Object>> items =
        new ArrayList<>(rows.subList(0, Math.min(limit, rows.size())));
    String next = rows.size() > limit ? (String) items.get(items.size() - 1).get("id") : null;
    return Optional.of(new Page(items, next));
  }

  /**
   * Makes a failed or pending delivery of the webhook due now, its attempts counted from zero
   * again.
   */
  public Retry retry(long webhookId, String deliveryPublicId) {
    return transaction.execute(
        status -> {
          Optional<String> state =
              jdbc.sql(
                      "SELECT state FROM webhook_deliveries WHERE webhook_id = ? AND public_id = ? "
                          + "FOR UPDATE")
                  .params(webhookId, deliveryPublicId)
                  .query(String.class)
                  .optional();
          if (state.isEmpty()) {
            return Retry.UNKNOWN;
          }
          if (state.get().equals("delivered")) {
            return Retry.DELIVERED;
          }
          jdbc.sql(
                  "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = now() "
                      + "WHERE webhook_id = ? AND public_id = ?")
              .params(webhookId, deliveryPublicId)
              .update();
          return Retry.SCHEDULED;
        });
  }

  private static Webhook webhook(ResultSet rs, int row) throws SQLException {
    String[] events = (String[]) rs.getArray("events").getArray();
    return new Webhook(
        rs.getLong("id"),
        rs.getString("public_id"),
        rs.getString("url"),
        List.copyOf(Arrays.asList(events)),
        rs.getString("created_at"));
  }

  private static Map<String, Object> delivery(ResultSet rs, int row) throws SQLException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", rs.getString(1));
    m.put("event_id", rs.getLong(2));
    m.put("event_type", rs.getString(3));
    m.put("state", rs.getString(4));
    m.put("attempts", rs.getInt(5));
    int status = rs.getInt(6);
    m.put("last_status", rs.wasNull() ? null : status);
    m.put("last_error", rs.getString(7));
    m.put("last_attempt_at", rs.getString(8));
    m.put("next_attempt_at", rs.getString(9));
    m.put("delivered_at", rs.getString(10));
    m.put("created_at", rs.getString(11));
    return m;
  }
}
