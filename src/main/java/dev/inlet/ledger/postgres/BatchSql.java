package dev.inlet.ledger.postgres;

import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchChanges.ConnectionChange;

/**
 * The text of the ledger's batch statement ({@link BatchStatement}), put together from the parts a
 * batch needs. Each part of a data-modifying {@code WITH} costs PostgreSQL its executor start-up
 * (the target table and its indexes opened, its expressions compiled) on every execution, even when
 * it writes no row; with a batch of a few packets the statement's fixed cost is most of it (about
 * 0.6 ms of the backend's CPU, docs/performance.md "Modest load"), and leaving out the empty parts
 * takes 60–100 µs off. So the insert of new connections is there only when the batch has a
 * connection at version 0, the invoice update only when it credits an invoice not held by its
 * payer, the {@code StreamData} insert only when the batch keeps data, and the events' insert only
 * when it has events. Each of the sixteen texts is its own prepared statement, planned once per
 * pooled connection.
 */
final class BatchSql {
  private BatchSql() {}

  /** Every part: what a batch with new connections, invoices, data and events runs. */
  static final String full = compose(true, true, true, true);

  private static final String[] variants = new String[16];

  static {
    for (int i = 0; i < variants.length; i++) {
      variants[i] = compose((i & 1) != 0, (i & 2) != 0, (i & 4) != 0, (i & 8) != 0);
    }
  }

  /** The statement for {@code changes}: only the parts it needs. */
  static String of(BatchChanges changes) {
    return variants[
        (createsConnections(changes) ? 1 : 0)
            | (writesInvoices(changes) ? 2 : 0)
            | (keepsData(changes) ? 4 : 0)
            | (writesEvents(changes) ? 8 : 0)];
  }

  /** A connection at version 0: new, or created by this transaction's lock step. */
  static boolean createsConnections(BatchChanges changes) {
    for (ConnectionChange ch : changes.connections().values()) {
      if (ch.version() == 0) {
        return true;
      }
    }
    return false;
  }

  /** An invoice credited by a connection that does not hold it: its row is written. */
  static boolean writesInvoices(BatchChanges changes) {
    for (ConnectionChange ch : changes.connections().values()) {
      if (ch.invoiceId() != 0 && ch.received() != 0 && !ch.held()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the statement takes the {@code data_chunk[]} parameter (its sixth). */
  static boolean keepsData(BatchChanges changes) {
    return !changes.data().isEmpty();
  }

  /**
   * Whether the statement may insert events, and takes the {@code payment.received} parameters (its
   * last two): a connection credited on a merchant's account, or an invoice's row written (its
   * first money or its completion). Without events the statement leaves the events table alone, its
   * statement triggers (the events lock, the wake-up) too.
   */
  static boolean writesEvents(BatchChanges changes) {
    return !changes.paymentsReceived().isEmpty() || writesInvoices(changes);
  }

  static String compose(boolean created, boolean invoices, boolean data, boolean events) {
    StringBuilder sql = new StringBuilder(8_192);
    sql.append(
        """
        WITH batch AS (SELECT ?::bigint AS connector, ?::int AS connections),
        conn AS (SELECT * FROM unnest(?::connection_change[])),
        """);
    if (created) {
      sql.append(
          """
          created AS (
            INSERT INTO connections AS c (id, account_id, invoice_id, source_address, total_received, packets_fulfilled,
                                          packets_rejected, last_packet_at, closed_at, data_bytes, streams, version,
                                          invoice_cap)
            SELECT id, account_id, invoice_id, source_address, received, fulfilled, rejected, now(),
                   CASE WHEN closes THEN now() END, data_bytes, coalesce(streams, '{}'), 1, received + headroom
            FROM conn WHERE version = 0 ORDER BY id
            -- A row at version 0 was created by this transaction's lock step and holds nothing yet.
            ON CONFLICT (id) DO UPDATE SET source_address = excluded.source_address,
              total_received = excluded.total_received, packets_fulfilled = excluded.packets_fulfilled,
              packets_rejected = excluded.packets_rejected, last_packet_at = excluded.last_packet_at,
              closed_at = excluded.closed_at, data_bytes = excluded.data_bytes, streams = excluded.streams, version = 1,
              invoice_cap = excluded.invoice_cap
            WHERE c.version = 0
            RETURNING c.id),
          """);
    }
    sql.append(
        """
        updated AS (
          UPDATE connections c SET total_received = c.total_received + u.received,
            packets_fulfilled = c.packets_fulfilled + u.fulfilled, packets_rejected = c.packets_rejected + u.rejected,
            -- To the minute: most updates then change no indexed column and stay heap-only.
            last_packet_at = CASE WHEN c.last_packet_at > now() - interval '1 minute' THEN c.last_packet_at
                                  ELSE now() END,
            source_address = coalesce(u.source_address, c.source_address),
            closed_at = CASE WHEN u.closes THEN coalesce(c.closed_at, now()) ELSE c.closed_at END,
            data_bytes = c.data_bytes + u.data_bytes, streams = coalesce(u.streams, c.streams),
            version = c.version + 1,
            -- A holder keeps its cap; a connection taking a hold gets one; any other write ends a hold (db/V8).
            invoice_cap = CASE WHEN u.held THEN c.invoice_cap ELSE c.total_received + u.received + u.headroom END
          FROM conn u
          WHERE c.id = u.id AND u.version > 0 AND c.version = u.version
            -- A holder's credit stays within what its invoice had left when the hold began.
            AND (NOT u.held OR c.total_received + u.received <= c.invoice_cap)
          RETURNING c.id),
        """);
    if (invoices) {
      sql.append(
          """
          -- Each invoice paid in the batch by connections not holding it takes their credits, only while it takes
          -- money and only up to its amount; it completes in the same statement as the credit that reaches the
          -- amount. A hold on it is released (db/V8): the holder's credits since its base join received. The
          -- holder is in the batch, so its row is at the version read and the snapshot's total is its last.
          -- A connection taking the hold starts it at its total after the batch.
          invoice AS (
            UPDATE invoices i SET received = i.received + b.amount + b.held,
              state = CASE WHEN i.received + b.amount + b.held = i.amount THEN 'completed' ELSE 'processing' END,
              completed_at = CASE WHEN i.received + b.amount + b.held = i.amount THEN now() END,
              ended_at = CASE WHEN i.received + b.amount + b.held = i.amount THEN now() END,
              holder = b.taker,
              holder_base = CASE WHEN b.taker IS NOT NULL THEN
                coalesce((SELECT t.total_received FROM connections t WHERE t.id = b.taker), 0) + b.amount END,
              shared = i.shared OR i.holder IS NOT NULL
            FROM (SELECT p.*, h.holder, h.holder_base, coalesce(h.held, 0) AS held
                  FROM (SELECT invoice_id AS id, sum(received) AS amount,
                               (array_agg(id) FILTER (WHERE headroom IS NOT NULL))[1] AS taker, max(headroom) AS headroom
                        FROM conn WHERE invoice_id IS NOT NULL AND received > 0 AND NOT held GROUP BY invoice_id) p
                  LEFT JOIN LATERAL (
                    SELECT v.holder, v.holder_base, c.total_received - v.holder_base AS held
                    FROM invoices v JOIN connections c ON c.id = v.holder WHERE v.id = p.id) h ON true) b
            WHERE i.id = b.id AND i.state IN ('pending', 'processing') AND i.received + b.amount + b.held <= i.amount
              AND i.holder IS NOT DISTINCT FROM b.holder AND i.holder_base IS NOT DISTINCT FROM b.holder_base
              AND (b.holder IS NULL OR b.holder IN (SELECT id FROM conn))
              AND (b.taker IS NULL OR (i.holder IS NULL AND NOT i.shared AND i.amount - i.received - b.amount = b.headroom))
            RETURNING i.id, i.merchant_id, i.received, i.amount, i.state, b.amount AS credit,
              -- The whole row only for the events that show it: an invoice's first money and its completion.
              CASE WHEN i.received = b.amount OR i.state = 'completed' THEN i END AS invoice_row),
          """);
    }
    sql.append(
        """
        credit AS (SELECT * FROM unnest(?::packet_credit[])),
        expected AS (SELECT * FROM unnest(?::account_credit[])),
        posting AS (
          SELECT account_id AS account, nextval('transfers_id_seq') AS id, sum(amount) AS amount, count(*) AS packets
          FROM credit GROUP BY account_id),
        transfer AS (
          INSERT INTO transfers (id, amount, packets) SELECT id, amount, packets FROM posting),
        entry AS (
          INSERT INTO entries (transfer_id, account_id, amount)
          SELECT id, account, amount FROM posting UNION ALL SELECT id, (SELECT connector FROM batch), -amount FROM posting),
        packet AS (
          INSERT INTO packets (connection_id, sequence, amount, transfer_id)
          SELECT u.connection_id, u.sequence, u.amount, p.id FROM credit u JOIN posting p ON p.account = u.account_id),
        """);
    if (data) {
      sql.append(
          """
          data AS (
            INSERT INTO stream_data (connection_id, stream_id, "offset", data)
            SELECT * FROM unnest(?::data_chunk[]) ON CONFLICT DO NOTHING),
          """);
    }
    if (events) {
      sql.append(
          """
          -- The batch's events, last: payment.received per connection credited on a merchant's account, as the
          -- decider rendered them (merchant ids, then the events' data, by connection id), then each invoice's
          -- first money and completion. Inserting takes the events lock (db/V2) until the commit.
          event AS (
            INSERT INTO events (merchant_id, type, data)
            SELECT merchant_id, type, data FROM (
              SELECT 0 AS rank, e.n AS key, e.merchant_id, 'payment.received' AS type, e.data::json AS data
              FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY AS e(merchant_id, data, n)
          """);
      if (invoices) {
        sql.append(
            """
                UNION ALL
                SELECT 1, i.id, i.merchant_id, 'invoice.processing', inlet_invoice_json(i.invoice_row, i.received)::json
                FROM invoice i WHERE i.received = i.credit
                UNION ALL
                SELECT 2, i.id, i.merchant_id, 'invoice.completed', inlet_invoice_json(i.invoice_row, i.received)::json
                FROM invoice i WHERE i.state = 'completed'
            """);
      }
      sql.append(
          """
              ORDER BY rank, key) e),
          """);
    }
    sql.append(
        """
        account AS (
          UPDATE accounts a SET balance = a.balance + b.amount, received = a.received + b.received
          FROM (SELECT account AS id, amount, amount AS received FROM posting UNION ALL
                SELECT (SELECT connector FROM batch), -sum(amount), 0 FROM posting HAVING count(*) > 0) b
          WHERE a.id = b.id AND (a.receive_limit IS NULL OR a.received + b.received <= a.receive_limit)
          RETURNING a.id, a.received, a.receive_limit, b.amount)
        SELECT a.kind, a.id, a.received, a.bound, a.change, a.state
        FROM (SELECT CASE WHEN
          -- The packets posted credit each account exactly the decider's credit, and no other account (IN500).
          inlet_invariant((SELECT string_agg(format('account %%s posted %%s, expected %%s', id,
                                                    coalesce(posted::text, 'nothing'),
                                                    coalesce(decided::text, 'nothing')), '; ' ORDER BY id)
                           FROM (SELECT coalesce(p.account, e.account_id) AS id, p.amount AS posted, e.amount AS decided
                                 FROM posting p FULL JOIN expected e ON e.account_id = p.account) j
                           WHERE posted IS DISTINCT FROM decided))
        THEN CASE WHEN
          -- Nothing changed behind the cache (IN409): every connection written at its version, every posting
          -- applied within its account's receive limit, and the connector debited.
          inlet_expect(%s(SELECT count(*) FROM updated),
                       (SELECT connections FROM batch), 'connections')
          AND inlet_expect((SELECT count(*) FROM account),
                           (SELECT CASE WHEN count(*) > 0 THEN count(*) + 1 ELSE 0 END FROM posting), 'accounts')
        """
            .formatted(created ? "(SELECT count(*) FROM created) + " : ""));
    if (invoices) {
      sql.append(
          """
            -- Every invoice paid took its credit: still taking money, and not past its amount.
            AND inlet_expect((SELECT count(*) FROM invoice),
                             (SELECT count(DISTINCT invoice_id) FROM conn WHERE received > 0 AND NOT held),
                             'invoices')
          """);
    }
    sql.append(
        """
        -- Only then, with every row applied: the balance changes sum to zero (IN500).
        THEN inlet_invariant((SELECT 'the entries sum to ' || sum(amount) || ', not zero' FROM account
                              HAVING sum(amount) <> 0))
        END END AS ok) checked
        LEFT JOIN (SELECT 'a' AS kind, id, received, receive_limit AS bound, amount AS change, NULL AS state FROM account
        """);
    sql.append(
        invoices
            ? "           UNION ALL SELECT 'i', id, received, amount, credit, state FROM invoice) a"
                + " ON checked.ok\n"
            : "          ) a ON checked.ok\n");
    return sql.toString();
  }
}
