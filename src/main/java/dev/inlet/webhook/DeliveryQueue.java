package dev.inlet.webhook;

import dev.inlet.web.PublicIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dispatcher's side of {@code webhook_deliveries}: fan-out of new events into deliveries,
 * claiming due deliveries under a lease, and recording attempts' outcomes in batches. The rows are
 * the truth: a replica that dies mid-attempt leaves a delivery whose lease runs out and which any
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

  /** A claimed delivery: what one attempt needs; {@code body} is null when the event is gone. */
  record Attempt(
      long deliveryId,
      long webhookId,
      long eventId,
      int attemptsBefore,
      String url,
      byte[] sealedSecret,
      String body) {}

  /**
   * An attempt's outcome, to record: delivered, or failed and pending again after {@code retryIn}
   * (failed for good when null).
   *
   * @param status the HTTP status, or null when there was no answer
   * @param at when the attempt ended: {@code last_attempt_at}, and what {@code retryIn} counts from
   */
  record Outcome(
      long deliveryId,
      int attemptsBefore,
      boolean delivered,
      Integer status,
      String error,
      Duration retryIn,
      Instant at) {}

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
              // Not flushed at its commit: a fan-out lost in a crash is made again from the same
              // last_event_id (its deliveries are unique per webhook and event), and its commits,
              // as often as the event hub reads, would otherwise each wait for a WAL flush beside
              // the ledger's.
              jdbc.sql("SET LOCAL synchronous_commit = off").update();
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
   * Claims up to {@code max} due deliveries of live webhooks, oldest due first, at most {@code
   * freeSlots.get(id)} of each webhook (absent: {@code perWebhookLimit}), and leases them: their
   * {@code next_attempt_at} moves {@code lease} ahead, so no replica takes them meanwhile and a
   * crash mid-attempt retries after it. One statement: the webhooks with pending deliveries are
   * found by skipping through {@code webhook_deliveries_pending} (db/V3), one index descent each,
   * and each webhook's due deliveries are read from it up to its free slots, so a backlog under a
   * webhook whose slots are all in use is never scanned. Each attempt carries its event's body
   * ({@code inlet_event_json}), null when the event is no longer kept.
   */
  List<Attempt> claim(int max, Map<Long, Integer> freeSlots, int perWebhookLimit, Duration lease) {
    Long[] ids = freeSlots.keySet().toArray(Long[]::new);
    Integer[] free = new Integer[ids.length];
    for (int i = 0; i < ids.length; i++) {
      free[i] = Math.max(0, freeSlots.get(ids[i]));
    }
    List<Attempt> claimed =
        transaction.execute(
            status -> {
              bookkeeping();
              return jdbc.sql(
                      """
                      WITH RECURSIVE hooks(id) AS (
                        (SELECT webhook_id FROM webhook_deliveries WHERE state = 'pending'
                         ORDER BY webhook_id LIMIT 1)
                        UNION ALL
                        SELECT (SELECT d.webhook_id FROM webhook_deliveries d
                                WHERE d.state = 'pending' AND d.webhook_id > h.id
                                ORDER BY d.webhook_id LIMIT 1)
                        FROM hooks h WHERE h.id IS NOT NULL
                      ),
                      slots(id, free) AS (SELECT * FROM unnest(?::bigint[], ?::int[])),
                      picked AS MATERIALIZED (
                        SELECT d.id, d.webhook_id, d.event_id, d.attempts
                        FROM hooks h JOIN webhooks w ON w.id = h.id AND w.deleted_at IS NULL
                        CROSS JOIN LATERAL (
                          SELECT d.id, d.webhook_id, d.event_id, d.attempts, d.next_attempt_at
                          FROM webhook_deliveries d
                          WHERE d.webhook_id = h.id AND d.state = 'pending'
                            AND d.next_attempt_at <= now()
                          ORDER BY d.next_attempt_at
                          LIMIT coalesce((SELECT s.free FROM slots s WHERE s.id = h.id), ?)
                          FOR UPDATE SKIP LOCKED
                        ) d
                        ORDER BY d.next_attempt_at LIMIT ?
                      )
                      UPDATE webhook_deliveries d
                      SET next_attempt_at = now() + make_interval(secs => ?)
                      FROM picked p JOIN webhooks w ON w.id = p.webhook_id
                        LEFT JOIN events e ON e.id = p.event_id
                      WHERE d.id = p.id
                      RETURNING d.id, d.webhook_id, d.event_id, d.attempts, w.url, w.secret,
                        CASE WHEN e.id IS NULL THEN NULL ELSE inlet_event_json(e)::text END
                      """)
                  .params(ids, free, perWebhookLimit, max, lease.toMillis() / 1000.0)
                  .query(
                      (rs, n) ->
                          new Attempt(
                              rs.getLong(1),
                              rs.getLong(2),
                              rs.getLong(3),
                              rs.getInt(4),
                              rs.getString(5),
                              rs.getBytes(6),
                              rs.getString(7)))
                  .list();
            });
    return claimed == null ? List.of() : claimed;
  }

  /**
   * Records attempts' outcomes, all in one transaction with one statement. Only the attempt that
   * holds a delivery's lease counts: a late one whose lease another attempt took, or a delivery
   * retried or deleted meanwhile, is left alone ({@code state} and {@code attempts} as claimed).
   */
  void record(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return;
    }
    int n = outcomes.size();
    Long[] ids = new Long[n];
    Integer[] attemptsBefore = new Integer[n];
    Integer[] statuses = new Integer[n];
    String[] errors = new String[n];
    Double[] at = new Double[n];
    Boolean[] delivered = new Boolean[n];
    Double[] retryIn = new Double[n];
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      ids[i] = o.deliveryId();
      attemptsBefore[i] = o.attemptsBefore();
      statuses[i] = o.status();
      errors[i] = o.error();
      at[i] = o.at().toEpochMilli() / 1000.0;
      delivered[i] = o.delivered();
      retryIn[i] = o.retryIn() == null ? null : o.retryIn().toMillis() / 1000.0;
    }
    transaction.executeWithoutResult(
        status -> {
          bookkeeping();
          jdbc.sql(
                  """
                  UPDATE webhook_deliveries d SET
                    attempts = d.attempts + 1, last_status = u.status, last_error = u.error,
                    last_attempt_at = to_timestamp(u.at),
                    state = CASE WHEN u.delivered THEN 'delivered'
                                 WHEN u.retry_in IS NULL THEN 'failed' ELSE 'pending' END,
                    delivered_at = CASE WHEN u.delivered THEN to_timestamp(u.at) END,
                    next_attempt_at = CASE WHEN NOT u.delivered AND u.retry_in IS NOT NULL
                      THEN to_timestamp(u.at) + make_interval(secs => u.retry_in) END
                  FROM unnest(?::bigint[], ?::int[], ?::int[], ?::text[], ?::float8[], ?::boolean[],
                              ?::float8[]) AS u(id, attempts_before, status, error, at, delivered,
                                                retry_in)
                  WHERE d.id = u.id AND d.state = 'pending' AND d.attempts = u.attempts_before
                  """)
              .params(ids, attemptsBefore, statuses, errors, at, delivered, retryIn)
              .update();
        });
  }

  /**
   * Delivery bookkeeping commits without waiting for its WAL flush: the dispatcher's transactions
   * then do not queue behind the ledger's flushes. Only a PostgreSQL crash can lose such a commit
   * (with everything after it), and each loss only repeats work: a lost fan-out is redone from the
   * events, a lost lease or outcome sends the delivery again (at least once, as a crash mid-attempt
   * does).
   */
  private void bookkeeping() {
    jdbc.sql("SET LOCAL synchronous_commit = off").update();
  }
}
