package dev.inlet.ledger.postgres;

import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reservations of money that leaves (db/V4): a pending transfer holds an amount of an account's
 * available balance (balance − reserved, which the database keeps at or above zero) for one payout
 * or refund; {@link OutgoingLedger} posts its fulfilled packets from it; {@link #end} releases what
 * is neither posted nor in doubt. Each method runs in the caller's transaction when there is one
 * (the payout row and its reservation are written together).
 */
public final class Reservations {
  private final JdbcClient jdbc;

  public Reservations(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** What a reservation holds after {@link #end}. */
  public record Ended(long accountId, long posted, long released, long held, String state) {}

  /**
   * Reserves {@code amount} of the account's available balance, or nothing.
   *
   * @param kind {@code payout} or {@code refund}
   * @param amount unsigned 64-bit, &gt; 0, the account's units
   * @return the pending transfer's id; empty when the available balance is smaller (or the account
   *     is not a receiving account)
   */
  public Optional<Long> reserve(long accountId, long amount, String kind) {
    BigDecimal a = Uint64.toNumeric(amount);
    return jdbc.sql(
            """
            WITH account AS (
              UPDATE accounts SET reserved = reserved + :amount
              WHERE id = :account AND kind IN ('receiving', 'voucher') AND balance - reserved >= :amount
              RETURNING id)
            INSERT INTO transfers (amount, packets, kind, state, account_id, remaining, posted, released)
            SELECT :amount, 0, :kind, 'pending', id, :amount, 0, 0 FROM account
            RETURNING id
            """)
        .param("amount", a)
        .param("account", accountId)
        .param("kind", kind)
        .query(Long.class)
        .optional();
  }

  /**
   * Ends a reservation's sending: what it still holds beyond its unanswered and in-doubt packets
   * goes back to the account's available balance. With nothing held it is posted (some money left)
   * or voided (none did); with packets in doubt it stays pending for them. Call it in a
   * transaction, after every answer the sender had was recorded.
   *
   * @return the reservation's totals; empty when it had already ended
   */
  public Optional<Ended> end(long reservation) {
    Optional<BigDecimal> before =
        jdbc.sql(
                "SELECT remaining FROM transfers WHERE id = ? AND state = 'pending' FOR NO KEY UPDATE")
            .param(reservation)
            .query(BigDecimal.class)
            .optional();
    if (before.isEmpty()) {
      return Optional.empty();
    }
    BigDecimal held =
        jdbc.sql(
                "SELECT coalesce(sum(amount), 0) FROM outgoing_packets "
                    + "WHERE transfer_id = ? AND state IN ('prepared', 'in_doubt')")
            .param(reservation)
            .query(BigDecimal.class)
            .single();
    BigDecimal release = before.get().subtract(held);
    return jdbc.sql(
            """
            WITH t AS (
              UPDATE transfers t SET remaining = :held, released = t.released + :release,
                state = CASE WHEN :held > 0 THEN 'pending' WHEN t.posted > 0 THEN 'posted' ELSE 'voided' END
              WHERE t.id = :id
              RETURNING t.account_id, t.posted, t.released, t.remaining, t.state),
            account AS (
              UPDATE accounts a SET reserved = a.reserved - :release FROM t WHERE a.id = t.account_id)
            SELECT account_id, posted, released, remaining, state FROM t
            """)
        .param("held", held)
        .param("release", release)
        .param("id", reservation)
        .query(
            (rs, row) ->
                new Ended(
                    rs.getLong(1),
                    Uint64.fromNumeric(rs.getBigDecimal(2)),
                    Uint64.fromNumeric(rs.getBigDecimal(3)),
                    Uint64.fromNumeric(rs.getBigDecimal(4)),
                    rs.getString(5)))
        .optional();
  }

  /**
   * Marks the reservation's unanswered packets in doubt: their sender is gone (a crash, a lost
   * lease), so whether they were fulfilled is unknown. Their money stays reserved.
   *
   * @return how many packets became in doubt
   */
  public int abandon(long reservation) {
    return jdbc.sql(
            "UPDATE outgoing_packets SET state = 'in_doubt' WHERE transfer_id = ? AND state = 'prepared'")
        .param(reservation)
        .update();
  }
}
