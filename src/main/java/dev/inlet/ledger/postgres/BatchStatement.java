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
 * <p>Its inputs are typed values (db/V1): the connector's account and the number of connections the
 * statement must write, then the batch as arrays of composite types — {@code connection_change[]},
 * {@code packet_credit[]}, {@code account_credit[]} (the decider's per-account credits), {@code
 * data_chunk[]} when it keeps data — each bound as one array literal ({@link PgLiterals}), and when
 * it has events the {@code payment.received} events as a {@code bigint[]} of merchants and a {@code
 * text[]} of their data ({@link PaymentEvents}). Amounts are unsigned 64-bit integers written as
 * decimals into {@code numeric} fields, so 2^64-1 arrives exact. The checks add a join of the
 * batch's few accounts, nothing per packet.
 */
final class BatchStatement {
  private static final int connectorParam = 1;
  private static final int connectionCountParam = 2;
  private static final int connectionsParam = 3;
  private static final int creditsParam = 4;
  private static final int expectedParam = 5;
  private static final int dataParam = 6;

  /** The statement with every part (new connections, invoices, data); see {@link BatchSql}. */
  static final String sql = BatchSql.full;

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
    try (PreparedStatement st = c.prepareStatement(BatchSql.of(changes))) {
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
   * Each invoice whose row the batch wrote (credited by connections not holding it) took exactly
   * their credits and is not past its amount; checked by the statement and the table's constraints
   * too, so only a misbehaving database or driver can fail this.
   *
   * @throws InvariantViolation naming the first disagreement
   */
  static void checkInvoices(BatchChanges changes, List<InvoiceTotals> invoices) {
    Map<Long, Long> credits = new HashMap<>();
    for (ConnectionChange ch : changes.connections().values()) {
      if (ch.invoiceId() != 0 && ch.received() != 0 && !ch.held()) {
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

  /** Binds {@code changes} to the statement {@link BatchSql#of} gives for them. */
  void bindAll(PreparedStatement st, BatchChanges changes) throws SQLException {
    bind(st, changes, BatchSql.keepsData(changes), BatchSql.writesEvents(changes));
  }

  /**
   * Binds {@code changes} to a statement with the data part, the events part, or both ({@link
   * BatchSql#full} has both).
   */
  void bind(PreparedStatement st, BatchChanges changes, boolean data, boolean events)
      throws SQLException {
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
    int next = dataParam;
    if (data) {
      st.setObject(next++, BatchLiterals.data(changes.data()), Types.OTHER);
    }
    if (events) {
      st.setObject(next++, PaymentEvents.merchants(changes.paymentsReceived()), Types.OTHER);
      st.setObject(next, PaymentEvents.data(changes.paymentsReceived()), Types.OTHER);
    }
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
