package dev.inlet.ledger.postgres;

import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchChanges.ConnectionChange;
import dev.inlet.ledger.batch.InvariantViolation;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a decided batch in one statement (one round trip; with autocommit on, its commit too): the
 * credited packets, one transfer per credited account posting them (two entries: the connector's
 * account debited, the receiving account credited), connection totals with their streams' totals
 * (in the connection's row, written whole), account balances, the invoices paid (completed in the
 * same statement when the credit reaches the amount), StreamData, and last the batch's events: one
 * {@code payment.received} per connection credited, {@code invoice.processing} for an invoice's
 * first money, {@code invoice.completed}. The statement checks what the decisions relied on and
 * aborts — writing nothing — when it changed: every connection must still be at the version the
 * decider saw (or not exist yet, for version 0), every credited account must stay within its
 * receive limit, and every invoice paid must still take money (pending or processing) and stay
 * within its amount; a credited (connection, sequence) already in the ledger aborts it too. The
 * error is {@link SqlStates#staleBatch} (or {@link SqlStates#uniqueViolation}); the caller then
 * redoes the batch under row locks.
 *
 * <p>It checks the rules of money too, before anything is committed, and aborts — writing nothing —
 * when one is broken: the packets it posts must credit each account exactly the credit the decider
 * computed ({@link BatchChanges#credits()}), and no other account, and the balance changes it
 * applies must sum to zero. The error is {@link SqlStates#invariantViolated}: a bug, not a stale
 * cache, so the caller fails the batch and does not redo it. A rejected packet's credit is thus
 * never durable (a STREAM sender would pay it again).
 *
 * <p>Its inputs are six typed values (db/V1): the connector's account and the number of connections
 * the statement must write, then the batch as four arrays of composite types — {@code
 * connection_change[]}, {@code packet_credit[]}, {@code account_credit[]} (the decider's
 * per-account credits), {@code data_chunk[]} — each bound as one array literal ({@link
 * PgLiterals}). Amounts are unsigned 64-bit integers written as decimals into {@code numeric}
 * fields, so 2^64-1 arrives exact. The checks add a join of the batch's few accounts, nothing per
 * packet.
 */
final class BatchStatement {
  private static final int connectorParam = 1;
  private static final int connectionCountParam = 2;
  private static final int connectionsParam = 3;
  private static final int creditsParam = 4;
  private static final int expectedParam = 5;
  private static final int dataParam = 6;

  static final String sql =
      """
      WITH batch AS (SELECT ?::bigint AS connector, ?::int AS connections),
      conn AS (SELECT * FROM unnest(?::connection_change[])),
      created AS (
        INSERT INTO connections AS c (id, account_id, invoice_id, source_address, total_received, packets_fulfilled,
                                      packets_rejected, last_packet_at, closed_at, data_bytes, streams, version)
        SELECT id, account_id, invoice_id, source_address, received, fulfilled, rejected, now(),
               CASE WHEN closes THEN now() END, data_bytes, coalesce(streams, '{}'), 1
        FROM conn WHERE version = 0 ORDER BY id
        -- A row at version 0 was created by this transaction's lock step and holds nothing yet.
        ON CONFLICT (id) DO UPDATE SET source_address = excluded.source_address,
          total_received = excluded.total_received, packets_fulfilled = excluded.packets_fulfilled,
          packets_rejected = excluded.packets_rejected, last_packet_at = excluded.last_packet_at,
          closed_at = excluded.closed_at, data_bytes = excluded.data_bytes, streams = excluded.streams, version = 1
        WHERE c.version = 0
        -- What payment.received shows (for a new row its total is the batch's credit), so the events need no join.
        RETURNING c.id, c.account_id, c.invoice_id, c.total_received AS received, c.total_received, c.source_address),
      updated AS (
        UPDATE connections c SET total_received = c.total_received + u.received,
          packets_fulfilled = c.packets_fulfilled + u.fulfilled, packets_rejected = c.packets_rejected + u.rejected,
          -- To the minute: most updates then change no indexed column and stay heap-only.
          last_packet_at = CASE WHEN c.last_packet_at > now() - interval '1 minute' THEN c.last_packet_at
                                ELSE now() END,
          source_address = coalesce(u.source_address, c.source_address),
          closed_at = CASE WHEN u.closes THEN coalesce(c.closed_at, now()) ELSE c.closed_at END,
          data_bytes = c.data_bytes + u.data_bytes, streams = coalesce(u.streams, c.streams),
          version = c.version + 1
        FROM conn u
        WHERE c.id = u.id AND u.version > 0 AND c.version = u.version
        RETURNING c.id, c.account_id, c.invoice_id, u.received, c.total_received, c.source_address),
      -- Each invoice paid in the batch takes its connections' credits, only while it takes money and only up to its
      -- amount; it completes in the same statement as the credit that reaches the amount.
      invoice AS (
        UPDATE invoices i SET received = i.received + b.amount,
          state = CASE WHEN i.received + b.amount = i.amount THEN 'completed' ELSE 'processing' END,
          completed_at = CASE WHEN i.received + b.amount = i.amount THEN now() END,
          ended_at = CASE WHEN i.received + b.amount = i.amount THEN now() END
        FROM (SELECT invoice_id AS id, sum(received) AS amount FROM conn
              WHERE invoice_id IS NOT NULL AND received > 0 GROUP BY invoice_id) b
        WHERE i.id = b.id AND i.state IN ('pending', 'processing') AND i.received + b.amount <= i.amount
        RETURNING i.id, i.merchant_id, i.public_id, i.received, i.amount, i.state, b.amount AS credit,
          -- The whole row only for the events that show it: an invoice's first money and its completion.
          CASE WHEN i.received = b.amount OR i.state = 'completed' THEN i END AS invoice_row),
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
      data AS (
        INSERT INTO stream_data (connection_id, stream_id, "offset", data)
        SELECT * FROM unnest(?::data_chunk[]) ON CONFLICT DO NOTHING),
      -- The batch's events, last: payment.received per connection credited on a merchant's account (no one else
      -- reads events), then each invoice's first money and completion. Inserting takes the events lock (db/V2)
      -- until the commit.
      event AS (
        INSERT INTO events (merchant_id, type, data)
        SELECT merchant_id, type, data FROM (
          SELECT 0 AS rank, c.id AS key, a.merchant_id, 'payment.received' AS type,
                 json_build_object('account', a.name, 'invoice', i.public_id, 'connection_id', encode(c.id, 'hex'),
                                    'amount', c.received::text, 'total_received', c.total_received::text,
                                    'source_address', c.source_address) AS data
          FROM (SELECT * FROM created UNION ALL SELECT * FROM updated) c
          JOIN accounts a ON a.id = c.account_id LEFT JOIN invoice i ON i.id = c.invoice_id
          WHERE c.received > 0 AND a.merchant_id IS NOT NULL
          UNION ALL
          SELECT 1, int8send(i.id), i.merchant_id, 'invoice.processing', inlet_invoice_json(i.invoice_row)::json
          FROM invoice i WHERE i.received = i.credit
          UNION ALL
          SELECT 2, int8send(i.id), i.merchant_id, 'invoice.completed', inlet_invoice_json(i.invoice_row)::json
          FROM invoice i WHERE i.state = 'completed'
          ORDER BY rank, key) e),
      account AS (
        UPDATE accounts a SET balance = a.balance + b.amount, received = a.received + b.received
        FROM (SELECT account AS id, amount, amount AS received FROM posting UNION ALL
              SELECT (SELECT connector FROM batch), -sum(amount), 0 FROM posting HAVING count(*) > 0) b
        WHERE a.id = b.id AND (a.receive_limit IS NULL OR a.received + b.received <= a.receive_limit)
        RETURNING a.id, a.received, a.receive_limit, b.amount)
      SELECT a.kind, a.id, a.received, a.bound, a.change, a.state
      FROM (SELECT CASE WHEN
        -- The packets posted credit each account exactly the decider's credit, and no other account (IN500).
        inlet_invariant((SELECT string_agg(format('account %s posted %s, expected %s', id,
                                                  coalesce(posted::text, 'nothing'),
                                                  coalesce(decided::text, 'nothing')), '; ' ORDER BY id)
                         FROM (SELECT coalesce(p.account, e.account_id) AS id, p.amount AS posted, e.amount AS decided
                               FROM posting p FULL JOIN expected e ON e.account_id = p.account) j
                         WHERE posted IS DISTINCT FROM decided))
      THEN CASE WHEN
        -- Nothing changed behind the cache (IN409): every connection written at its version, every posting
        -- applied within its account's receive limit, and the connector debited.
        inlet_expect((SELECT count(*) FROM created) + (SELECT count(*) FROM updated),
                     (SELECT connections FROM batch), 'connections')
        AND inlet_expect((SELECT count(*) FROM account),
                         (SELECT CASE WHEN count(*) > 0 THEN count(*) + 1 ELSE 0 END FROM posting), 'accounts')
        -- Every invoice paid took its credit: still taking money, and not past its amount.
        AND inlet_expect((SELECT count(*) FROM invoice),
                         (SELECT count(DISTINCT invoice_id) FROM conn WHERE received > 0), 'invoices')
      -- Only then, with every row applied: the balance changes sum to zero (IN500).
      THEN inlet_invariant((SELECT 'the entries sum to ' || sum(amount) || ', not zero' FROM account
                            HAVING sum(amount) <> 0))
      END END AS ok) checked
      LEFT JOIN (SELECT 'a' AS kind, id, received, receive_limit AS bound, amount AS change, NULL AS state FROM account
                 UNION ALL SELECT 'i', id, received, amount, credit, state FROM invoice) a ON checked.ok
      """;

  private final long connectorAccountId;

  BatchStatement(long connectorAccountId) {
    this.connectorAccountId = connectorAccountId;
  }

  /**
   * Runs the statement on {@code c}, which checks the batch's rules of money before anything is
   * committed, then checks what it returned against the batch again ({@link #checkReturned}).
   *
   * @return each account the batch credited, and the connector's when any was, with its totals
   *     after the batch; each invoice it paid, with its totals and state after the batch
   * @throws SQLException {@link SqlStates#staleBatch} or {@link SqlStates#uniqueViolation} when the
   *     batch must be redone under locks; {@link SqlStates#invariantViolated} when its postings
   *     disagree with the decider's credits or its entries do not sum to zero (nothing written; a
   *     bug, not to be redone); any other failure of the database
   * @throws InvariantViolation when what the statement returned disagrees with the batch although
   *     the statement checked the same in the database: only a misbehaving database or driver can
   *     do that
   */
  Totals execute(Connection c, BatchChanges changes) throws SQLException {
    List<AccountTotals> accounts = new ArrayList<>(changes.credits().size() + 1);
    List<InvoiceTotals> invoices = new ArrayList<>(0);
    try (PreparedStatement st = c.prepareStatement(sql)) {
      bindAll(st, changes);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String kind = rs.getString(1);
          if (kind == null) {
            continue;
          }
          BigDecimal bound = rs.getBigDecimal(4);
          if (kind.equals("a")) {
            accounts.add(
                new AccountTotals(
                    rs.getLong(2),
                    Uint64.fromNumeric(rs.getBigDecimal(3)),
                    bound == null ? null : Uint64.fromNumeric(bound),
                    rs.getBigDecimal(5)));
          } else {
            invoices.add(
                new InvoiceTotals(
                    rs.getLong(2),
                    Uint64.fromNumeric(rs.getBigDecimal(3)),
                    Uint64.fromNumeric(bound),
                    Uint64.fromNumeric(rs.getBigDecimal(5)),
                    rs.getString(6)));
          }
        }
      }
    }
    checkReturned(changes, accounts, connectorAccountId);
    checkInvoices(changes, invoices);
    return new Totals(accounts, invoices);
  }

  /**
   * Each invoice the batch paid took exactly its connections' credits and is not past its amount;
   * checked by the statement and the table's constraints too, so only a misbehaving database or
   * driver can fail this.
   *
   * @throws InvariantViolation naming the first disagreement
   */
  static void checkInvoices(BatchChanges changes, List<InvoiceTotals> invoices) {
    Map<Long, Long> credits = new HashMap<>();
    for (ConnectionChange ch : changes.connections().values()) {
      if (ch.invoiceId() != 0 && ch.received() != 0) {
        credits.merge(ch.invoiceId(), ch.received(), Long::sum);
      }
    }
    if (invoices.size() != credits.size()) {
      throw new InvariantViolation(
          "the batch statement paid " + invoices.size() + " invoices, expected " + credits.size());
    }
    for (InvoiceTotals i : invoices) {
      Long credit = credits.get(i.id());
      if (credit == null
          || credit != i.credit()
          || Long.compareUnsigned(i.received(), i.amount()) > 0) {
        throw new InvariantViolation(
            "invoice "
                + i.id()
                + " took "
                + Long.toUnsignedString(i.credit())
                + " to "
                + Long.toUnsignedString(i.received())
                + " of "
                + Long.toUnsignedString(i.amount())
                + ", expected a credit of "
                + (credit == null ? "nothing" : Long.toUnsignedString(credit)));
      }
    }
  }

  void bindAll(PreparedStatement st, BatchChanges changes) throws SQLException {
    st.setLong(connectorParam, connectorAccountId);
    st.setInt(connectionCountParam, changes.connections().size());
    // Types.OTHER: sent untyped, so the server parses the literal straight into the cast's
    // composite array type.
    st.setObject(
        connectionsParam,
        BatchLiterals.connections(changes.connections(), changes.streams()),
        Types.OTHER);
    st.setObject(creditsParam, BatchLiterals.credits(changes.packets()), Types.OTHER);
    st.setObject(expectedParam, BatchLiterals.accountCredits(changes.credits()), Types.OTHER);
    st.setObject(dataParam, BatchLiterals.data(changes.data()), Types.OTHER);
  }

  /**
   * The statement's answer against the batch: each credited account was credited its packets' sum
   * and stayed within its receive limit, no other account moved, and the connector was debited what
   * the accounts were credited — the entries sum to zero. The statement checked all of it before
   * its commit ({@link SqlStates#invariantViolated}); this second line, over the few rows returned,
   * can only find a database or driver that broke its word — on the cached path after the commit,
   * so the batch fails and {@code /admin/ledger/check} shows what was written.
   *
   * @throws InvariantViolation naming the first disagreement
   */
  static void checkReturned(
      BatchChanges changes, List<AccountTotals> totals, long connectorAccountId) {
    Map<Long, Long> credits = changes.credits();
    int expectedRows = credits.isEmpty() ? 0 : credits.size() + 1;
    if (totals.size() != expectedRows) {
      throw new InvariantViolation(
          "the batch statement returned " + totals.size() + " accounts, expected " + expectedRows);
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (AccountTotals a : totals) {
      sum = sum.add(a.change());
      if (a.id() == connectorAccountId) {
        continue;
      }
      Long credit = credits.get(a.id());
      if (credit == null || a.change().compareTo(Uint64.toNumeric(credit)) != 0) {
        throw new InvariantViolation(
            "the batch statement credited account "
                + a.id()
                + " with "
                + a.change()
                + ", expected "
                + (credit == null ? "nothing" : Long.toUnsignedString(credit)));
      }
      if (a.receiveLimit() != null && Long.compareUnsigned(a.received(), a.receiveLimit()) > 0) {
        throw new InvariantViolation(
            "account "
                + a.id()
                + " received "
                + Long.toUnsignedString(a.received())
                + ", past its receive limit "
                + Long.toUnsignedString(a.receiveLimit()));
      }
    }
    if (sum.signum() != 0) {
      throw new InvariantViolation("the batch statement's entries sum to " + sum + ", not zero");
    }
  }

  /**
   * An account's row after the batch statement.
   *
   * @param id account
   * @param received everything ever credited, unsigned 64-bit
   * @param receiveLimit its receive limit, unsigned 64-bit, or null
   * @param change what the batch added to its balance: the credit, or for the connector minus all
   *     credits
   */
  record AccountTotals(long id, long received, Long receiveLimit, BigDecimal change) {}

  /**
   * An invoice's row after the batch statement paid it.
   *
   * @param id invoice
   * @param received its total received, unsigned 64-bit
   * @param amount its amount, unsigned 64-bit
   * @param credit what the batch added
   * @param state {@code processing}, or {@code completed} when the batch reached its amount
   */
  record InvoiceTotals(long id, long received, long amount, long credit, String state) {}

  /** What the batch statement returned: accounts credited, invoices paid. */
  record Totals(List<AccountTotals> accounts, List<InvoiceTotals> invoices) {}
}
