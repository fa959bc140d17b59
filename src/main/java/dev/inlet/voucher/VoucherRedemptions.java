package dev.inlet.voucher;

import dev.inlet.events.EventType;
import dev.inlet.ledger.postgres.Uint64;
import dev.inlet.payout.Payouts;
import dev.inlet.payout.StoredPayout;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Vouchers' redemptions: what a client may be paid now, decided under the voucher's row lock (one
 * redemption at a time, across replicas), and what happens when a redemption ends (the voucher
 * {@code redeemed} once all of it was paid out, {@code voucher.redeemed} for one that paid).
 */
final class VoucherRedemptions implements PayoutConnections.Source {
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final Payouts payouts;
  private final Vouchers vouchers;

  VoucherRedemptions(DataSource dataSource, Payouts payouts, Vouchers vouchers) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.payouts = payouts;
    this.vouchers = vouchers;
    payouts.onEnd("redemption", this::redemptionEnded);
  }

  /**
   * Decides a client's redemption under the voucher's lock: at most one at a time, at most what the
   * voucher holds and the client's stream takes; created and reserved in the same transaction.
   */
  @Override
  public PayoutConnections.Attempt attempt(long id, PayoutConnections.Request r) {
    return transaction.execute(
        status -> {
          Optional<Redeemable> found = lockForRedemption(id);
          if (found.isEmpty()) {
            return new PayoutConnections.Close("unknown-voucher");
          }
          Redeemable v = found.get();
          if (!v.state().equals("active")) {
            return new PayoutConnections.Close("voucher-" + v.state());
          }
          if (redeeming(id)) {
            return new PayoutConnections.Wait("voucher-busy: another client is redeeming it");
          }
          long amount =
              Long.compareUnsigned(v.available(), r.room()) < 0 ? v.available() : r.room();
          if (amount == 0) {
            return new PayoutConnections.Wait("voucher-busy: nothing to pay now");
          }
          Optional<StoredPayout> payout =
              payouts.createOnConnection(
                  new Payouts.ConnectionPayout(
                      "redemption",
                      v.holdingId(),
                      v.merchantId(),
                      r.connectionId(),
                      r.address(),
                      r.streamId(),
                      r.firstSequence(),
                      amount,
                      id,
                      null,
                      null));
          return payout.isPresent()
              ? new PayoutConnections.Pay(payout.get())
              : new PayoutConnections.Wait("voucher-busy: nothing to pay now");
        });
  }

  /** A redemption's voucher, checked and locked in the redeeming transaction. */
  record Redeemable(long id, Long merchantId, long holdingId, String state, long available) {}

  /**
   * Locks an active voucher for a redemption, in the caller's transaction.
   *
   * @return empty when the voucher does not exist
   */
  Optional<Redeemable> lockForRedemption(long id) {
    return jdbc.sql(
            "SELECT v.id, v.merchant_id, v.holding_id, CASE WHEN v.state = 'active'"
                + " AND v.expires_at <= now() THEN 'expired' ELSE v.state END,"
                + " h.balance - h.reserved FROM vouchers v JOIN accounts h ON h.id = v.holding_id"
                + " WHERE v.id = ? FOR UPDATE OF v")
        .param(id)
        .query(
            (rs, n) ->
                new Redeemable(
                    rs.getLong(1),
                    (Long) rs.getObject(2),
                    rs.getLong(3),
                    rs.getString(4),
                    Uint64.fromNumeric(rs.getBigDecimal(5))))
        .optional();
  }

  /** Whether a redemption of the voucher is being sent (by any replica). */
  boolean redeeming(long id) {
    return jdbc.sql(
            "SELECT EXISTS (SELECT 1 FROM payouts WHERE voucher_id = ? AND state = 'sending')")
        .param(id)
        .query(Boolean.class)
        .single();
  }

  /**
   * A redemption ended (in its ending transaction): the voucher is {@code redeemed} once all of it
   * was paid out; an ended voucher gets back what the redemption did not send; {@code
   * voucher.redeemed} reports a redemption that paid anything.
   */
  private void redemptionEnded(JdbcClient jdbc, StoredPayout payout, boolean completed) {
    long voucher =
        jdbc.sql("SELECT voucher_id FROM payouts WHERE id = ?")
            .param(payout.id())
            .query(Long.class)
            .single();
    Vouchers.Held v = vouchers.lock(voucher);
    jdbc.sql(
            "UPDATE vouchers v SET state = 'redeemed', ended_at = now() FROM accounts h"
                + " WHERE v.id = ? AND h.id = v.holding_id AND v.state = 'active' AND h.balance = 0")
        .param(voucher)
        .update();
    boolean ended =
        jdbc.sql("SELECT state <> 'active' FROM vouchers WHERE id = ?")
            .param(voucher)
            .query(Boolean.class)
            .single();
    if (ended) {
      vouchers.release(v);
    }
    boolean paid =
        jdbc.sql("SELECT sent > 0 FROM payouts WHERE id = ?")
            .param(payout.id())
            .query(Boolean.class)
            .single();
    if (paid) {
      jdbc.sql(
              "INSERT INTO events (merchant_id, type, data)"
                  + " SELECT v.merchant_id, ?, inlet_voucher_json(v)"
                  + " || jsonb_build_object('redemption', inlet_payout_json(p))"
                  + " FROM vouchers v, payouts p WHERE v.id = ? AND p.id = ?"
                  + " AND v.merchant_id IS NOT NULL")
          .params(EventType.VOUCHER_REDEEMED.wireName(), voucher, payout.id())
          .update();
    }
  }
}
