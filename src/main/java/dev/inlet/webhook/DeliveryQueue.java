package dev.inlet.webhook;

import dev.inlet.web.PublicIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dispatcher's side of {@code webhook_deliveries}: fan-out of new events into deliveries,
 * claiming due deliveries under a lease, and recording each attempt's outcome. The rows are the
 * truth: a replica that dies mid-attempt leaves a delivery whose lease runs out and which any
 * replica then attempts again (at least once). Short transactions, rows locked {@code FOR UPDATE
 * SKIP LOCKED}, so replicas share the work without waiting for each other. Blocking.
 */
final class DeliveryQueue {
  /** Webhooks one fan-out transaction takes at most. */
  static final int maxWebhooksPerFanOut = 100;

  /** Events one webhook's fan-out takes at most; the rest in the next run. */
  static final int maxEventsPerWebhook = 1_000;

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;

  DeliveryQueue(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** A claimed delivery: what one attempt needs. */
  record Attempt(
      long deliveryId,
      long webhookId,
      long eventId,
      int attemptsBefore,
      String url,
      byte[] sealedSecret) {}

  /**
   * Creates deliveries for live webhooks' subscribed events newer than their {@code last_event_id},
   * and advances it, for up to {@link #maxWebhooksPerFanOut} webhooks in one transaction. Events
   * are visible in id order (db/V2), so everything up to the newest visible id is final.
   *
   * @return whether some webhook may have more to fan out (the run was bounded)
   */
  boolean fanOut() {
    Boolean more =
        transaction.execute(
            status -> {
              long newest =
                  jdbc.sql("SELECT coalesce(max(id), 0) FROM events").query(Long.class).single();
              List<Map<String, Object>> hooks =
                  jdbc.sql(
                          // Only webhooks whose merchant has new events: an event of one merchant
                          // touches no other merchant's rows (events_by_merchant answers EXISTS).
                          """
                          SELECT w.id, w.merchant_id, w.events, w.last_event_id FROM webhooks w
                          WHERE w.deleted_at IS NULL AND w.last_event_id < ?
                            AND EXISTS (SELECT 1 FROM events e WHERE e.merchant_id = w.merchant_id
                                          AND e.id > w.last_event_id AND e.id <= ?)
                          ORDER BY w.id LIMIT ? FOR UPDATE OF w SKIP LOCKED
                          """)
                      .params(newest, newest, maxWebhooksPerFanOut)
                      .query()
                      .listOfRows();
              boolean bounded = hooks.size() == maxWebhooksPerFanOut;
              for (Map<String, Object> h : hooks) {
                bounded |= fanOut(h, newest);
              }
              return bounded;
            });
    return Boolean.TRUE.equals(more);
  }

  private boolean fanOut(Map<String, Object> hook, long newest) {
    long webhookId = ((Number) hook.get("id")).longValue();
    List<Long> events =
        jdbc.sql(
                "SELECT id FROM events WHERE merchant_id = ? AND id > ? AND id <= ? "
                    + "AND type = ANY(?) ORDER BY id LIMIT ?")
            .params(
                hook.get("merchant_id"),
                hook.get("last_event_id"),
                newest,
                hook.get("events"),
                maxEventsPerWebhook)
            .query(Long.class)
            .list();
    boolean full = events.size() == maxEventsPerWebhook;
    if (!events.isEmpty()) {
      String[] ids = new String[events.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = PublicIds.deliveries.generate();
      }
      jdbc.sql(
              "INSERT INTO webhook_deliveries (public_id, webhook_id, event_id, next_attempt_at) "
                  + "SELECT p, ?, e, now() FROM unnest(?::text[], ?::bigint[]) AS u(p, e) "
                  + "ON CONFLICT (webhook_id, event_id) DO NOTHING")
          .params(webhookId, ids, events.toArray(Long[]::new))
          .update();
    }
    jdbc.sql("UPDATE webhooks SET last_event_id = ? WHERE id = ?")
        .params(full ? events.get(events.size() - 1) : newest, webhookId)
        .update();
    return full;
  }

  /**
   * Claims up to {@code max} due deliveries of live webhooks, at most {@code perWebhook.get(id)}
   * (when given, else {@code perWebhookLimit}) of each webhook, and leases them: their {@code
   * next_attempt_at} moves {@code lease} ahead, so no replica takes them meanwhile and a crash
   * mid-attempt retries after it.
   *
   * @param freeSlots a webhook's attempts this replica may still start (absent: {@code
   *     perWebhookLimit}); webhooks with none are skipped
   */
  List<Attempt> claim(int max, Map<Long, Integer> freeSlots, int perWebhookLimit, Duration lease) {
    Long[] full =
        freeSlots.entrySet().stream()
            .filter(e -> e.getValue() <= 0)
            .map(Map.Entry::getKey)
            .toArray(Long[]::new);
    List<Attempt> claimed =
        transaction.execute(
            status -> {
              // More candidates than wanted: some may be over a webhook's share and left.
              List<Attempt> due =
                  jdbc.sql(
                          """
                          SELECT d.id, d.webhook_id, d.event_id, d.attempts, w.url, w.secret
                          FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                          WHERE d.state = 'pending' AND d.next_attempt_at <= now()
                            AND w.deleted_at IS NULL AND NOT (d.webhook_id = ANY(?))
                          ORDER BY d.next_attempt_at LIMIT ?
                          FOR UPDATE OF d SKIP LOCKED
                          """)
                      .params(full, max * 4)
                      .query(
                          (rs, n) ->
                              new Attempt(
                                  rs.getLong(1),
                                  rs.getLong(2),
                                  rs.getLong(3),
                                  rs.getInt(4),
                                  rs.getString(5),
                                  rs.getBytes(6)))
                      .list();
              Map<Long, Integer> left = new HashMap<>(freeSlots);
              List<Attempt> taken = new ArrayList<>();
              for (Attempt a : due) {
                int free = left.getOrDefault(a.webhookId(), perWebhookLimit);
                if (free > 0 && taken.size() < max) {
                  taken.add(a);
                  left.put(a.webhookId(), free - 1);
                }
              }
              if (!taken.isEmpty()) {
                jdbc.sql(
                        "UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => ?) "
                            + "WHERE id = ANY(?)")
                    .params(
                        lease.toMillis() / 1000.0,
                        taken.stream().map(Attempt::deliveryId).toArray(Long[]::new))
                    .update();
              }
              return taken;
            });
    return claimed == null ? List.of() : claimed;
  }

  /** The event's body as every delivery sends it; empty when the event is no longer kept. */
  Optional<String> body(long eventId) {
    return jdbc.sql("SELECT inlet_event_json(e)::text FROM events e WHERE id = ?")
        .param(eventId)
        .query(String.class)
        .optional();
  }

  /**
   * Records a 2xx answer. Only the attempt that holds the delivery's lease counts: a late one whose
   * lease another attempt took, or a delivery retried or deleted meanwhile, is left alone.
   */
  void delivered(Attempt a, int status) {
    jdbc.sql(
            "UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, "
                + "last_status = ?, last_error = NULL, last_attempt_at = now(), delivered_at = now(), "
                + "next_attempt_at = NULL WHERE id = ? AND state = 'pending' AND attempts = ?")
        .params(status, a.deliveryId(), a.attemptsBefore())
        .update();
  }

  /**
   * Records a failed attempt: pending again after {@code retryIn}, or failed for good when {@code
   * retryIn} is null.
   *
   * @param status the HTTP status, or null when there was no answer
   */
  void attemptFailed(Attempt a, Integer status, String error, Duration retryIn) {
    jdbc.sql(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, "
                + "last_attempt_at = now(), state = CASE WHEN ? THEN 'failed' ELSE 'pending' END, "
                + "next_attempt_at = CASE WHEN ? THEN NULL ELSE now() + make_interval(secs => ?) END "
                + "WHERE id = ? AND state = 'pending' AND attempts = ?")
        .params(
            status,
            error,
            retryIn == null,
            retryIn == null,
            retryIn == null ? 0.0 : retryIn.toMillis() / 1000.0,
            a.deliveryId(),
            a.attemptsBefore())
        .update();
  }
}
