package dev.inlet.voucher;

import dev.inlet.ledger.postgres.Uint64;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Moves money between two of Inlet's accounts in the caller's transaction: a posted {@code voucher}
 * transfer whose two entries sum to zero (the source debited, the target credited), both balances
 * updated in the same statement. Used to fund a voucher and to give back what it did not pay out.
 */
final class Moves {
  private Moves() {}

  /**
   * @param amount unsigned 64-bit, &gt; 0
   * @return false, nothing written, when {@code from}'s available balance (balance − reserved) is
   *     smaller than {@code amount}
   */
  static boolean move(JdbcClient jdbc, long from, long to, long amount) {
    return jdbc.sql(
                """
            WITH debit AS (
              UPDATE accounts SET balance = balance - :amount
              WHERE id = :from AND balance - reserved >= :amount
              RETURNING id),
            credit AS (
              UPDATE accounts SET balance = balance + :amount
              WHERE id = :to AND EXISTS (SELECT 1 FROM debit)
              RETURNING id),
            transfer AS (
              INSERT INTO transfers (amount, packets, kind)
              SELECT :amount, 0, 'voucher' FROM debit
              RETURNING id),
            entry AS (
              INSERT INTO entries (transfer_id, account_id, amount)
              SELECT t.id, :from, -:amount FROM transfer t
              UNION ALL SELECT t.id, :to, :amount FROM transfer t)
            SELECT count(*) FROM credit
            """)
            .param("amount", Uint64.toNumeric(amount))
            .param("from", from)
            .param("to", to)
            .query(Long.class)
            .single()
        == 1;
  }
}
