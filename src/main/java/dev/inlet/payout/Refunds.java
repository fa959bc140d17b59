package dev.inlet.payout;

import dev.inlet.ledger.postgres.Uint64;
import dev.inlet.payout.PayoutCreation.RefundRefused;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rules of a refund, checked in the creating transaction under a lock on the connection that
 * paid: the payer told an address to answer on ({@code ConnectionNewAddress}, RFC 0029 §5), no
 * other refund of that payment is being sent, and all refunds of it together never exceed what it
 * delivered — a refund counts with what it reserved, less what it released.
 */
final class Refunds {
  private Refunds() {}

  /** Which payment of an invoice to refund: the named one, or its only one. */
  static Optional<byte[]> payment(JdbcClient jdbc, long invoiceId, String paymentHex) {
    if (paymentHex != null) {
      byte[] id;
      try {
        id = HexFormat.of().parseHex(paymentHex);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      return jdbc.sql("SELECT id FROM connections WHERE id = ? AND invoice_id = ?")
          .params(id, invoiceId)
          .query(byte[].class)
          .optional();
    }
    List<byte[]> paid =
        jdbc.sql("SELECT id FROM connections WHERE invoice_id = ? AND total_received > 0 LIMIT 2")
            .param(invoiceId)
            .query(byte[].class)
            .list();
    return paid.size() == 1 ? Optional.of(paid.get(0)) : Optional.empty();
  }

  static Optional<RefundRefused> check(JdbcClient jdbc, byte[] connectionId, long amount) {
    record Paid(String source, BigDecimal received) {}
    Optional<Paid> paid =
        jdbc.sql("SELECT source_address, total_received FROM connections WHERE id = ? FOR UPDATE")
            .param(connectionId)
            .query((rs, n) -> new Paid(rs.getString(1), rs.getBigDecimal(2)))
            .optional();
    if (paid.isEmpty()) {
      return Optional.of(new RefundRefused("unknown-payment", "no such payment"));
    }
    if (paid.get().source() == null || paid.get().source().isEmpty()) {
      return Optional.of(
          new RefundRefused(
              "payer-unreachable",
              "the payer gave no address to answer on (ConnectionNewAddress), so nothing can be sent back"));
    }
    boolean inProgress =
        jdbc.sql(
                "SELECT EXISTS (SELECT 1 FROM payouts WHERE connection_id = ? AND state = 'sending')")
            .param(connectionId)
            .query(Boolean.class)
            .single();
    if (inProgress) {
      return Optional.of(
          new RefundRefused("refund-in-progress", "a refund of this payment is being sent"));
    }
    BigDecimal refunded =
        jdbc.sql(
                "SELECT coalesce(sum(t.amount - t.released), 0) FROM payouts p"
                    + " JOIN transfers t ON t.id = p.transfer_id WHERE p.connection_id = ?")
            .param(connectionId)
            .query(BigDecimal.class)
            .single();
    BigDecimal left = paid.get().received().subtract(refunded);
    if (Uint64.toNumeric(amount).compareTo(left) > 0) {
      return Optional.of(
          new RefundRefused(
              "refund-exceeds-payment",
              "at most " + left.toPlainString() + " of this payment is left to refund"));
    }
    return Optional.empty();
  }

  /** Inlet's streams on a payer's connection are even (RFC 0029 §2.2): 2, 4, 6… per refund. */
  static long nextStreamId(JdbcClient jdbc, byte[] connectionId) {
    return 2
        * (1
            + jdbc.sql("SELECT count(*) FROM payouts WHERE connection_id = ?")
                .param(connectionId)
                .query(Long.class)
                .single());
  }
}
