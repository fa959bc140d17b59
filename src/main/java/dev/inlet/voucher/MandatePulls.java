package dev.inlet.voucher;

import dev.inlet.events.EventType;
import dev.inlet.payout.Payouts;
import dev.inlet.payout.StoredPayout;
import dev.inlet.voucher.Mandates.Mandate;
import dev.inlet.voucher.Mandates.View;
import dev.inlet.web.Times;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Mandates' pulls: what a service may pull now, decided under the mandate's row lock (one pull at a
 * time, across replicas), and {@code mandate.pulled} when a pull that moved money ends.
 */
final class MandatePulls implements PayoutConnections.Source {
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final Payouts payouts;
  private final Mandates mandates;
  private final Clock clock;

  MandatePulls(DataSource dataSource, Payouts payouts, Mandates mandates, Clock clock) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.payouts = payouts;
    this.mandates = mandates;
    this.clock = clock;
    payouts.onEnd("pull", this::pullEnded);
  }

  /**
   * Decides a pull under the mandate's lock: at most what the current cycle has left (with earlier
   * cycles' rest when {@code cap} is false), the client's stream takes and the account has; one
   * pull at a time.
   */
  @Override
  public PayoutConnections.Attempt attempt(long id, PayoutConnections.Request r) {
    return transaction.execute(
        status -> {
          Optional<Mandate> found = mandates.lock(id);
          if (found.isEmpty()) {
            return new PayoutConnections.Close("unknown-mandate");
          }
          Mandate m = found.get();
          Instant now = clock.instant();
          if (m.over(now)) {
            return new PayoutConnections.Close(
                "mandate-" + (m.state().equals("active") ? "expired" : m.state()));
          }
          if (m.cycleAt(now) == 0) {
            return new PayoutConnections.Close(
                "mandate-not-started: it starts at " + Times.format(m.start()));
          }
          boolean pulling =
              jdbc.sql(
                      "SELECT EXISTS (SELECT 1 FROM payouts WHERE mandate_id = ?"
                          + " AND state = 'sending')")
                  .param(id)
                  .query(Boolean.class)
                  .single();
          if (pulling) {
            return new PayoutConnections.Wait("mandate-busy: another pull is being sent");
          }
          View v = mandates.view(m);
          long amount = min(min(v.available(), r.room()), payouts.available(m.accountId()));
          if (v.available() == 0) {
            return new PayoutConnections.Close(
                "mandate-interval-spent: more from "
                    + Times.format(m.interval().cycleStart(m.start(), v.cycle() + 1)));
          }
          if (amount == 0) {
            return r.room() == 0
                ? new PayoutConnections.Wait("nothing asked")
                : new PayoutConnections.Close("insufficient-balance");
          }
          Optional<StoredPayout> payout =
              payouts.createOnConnection(
                  new Payouts.ConnectionPayout(
                      "pull",
                      m.accountId(),
                      m.merchantId(),
                      r.connectionId(),
                      r.address(),
                      r.streamId(),
                      r.firstSequence(),
                      amount,
                      null,
                      id,
                      Math.toIntExact(v.cycle())));
          return payout.isPresent()
              ? new PayoutConnections.Pay(payout.get())
              : new PayoutConnections.Close("insufficient-balance");
        });
  }

  /** {@code mandate.pulled} for a pull that moved money, written last in its ending transaction. */
  private void pullEnded(JdbcClient jdbc, StoredPayout payout, boolean completed) {
    jdbc.sql(
            "INSERT INTO events (merchant_id, type, data)"
                + " SELECT m.merchant_id, ?, jsonb_build_object('id', m.public_id, 'account', a.name,"
                + " 'amount', m.amount::text, 'interval', m.interval, 'cycle', p.cycle,"
                + " 'pulled_in_cycle', (SELECT coalesce(sum(t.amount - t.released), 0)::text"
                + " FROM payouts q JOIN transfers t ON t.id = q.transfer_id"
                + " WHERE q.mandate_id = m.id AND q.cycle = p.cycle),"
                + " 'pull', inlet_payout_json(p))"
                + " FROM payouts p JOIN mandates m ON m.id = p.mandate_id"
                + " JOIN accounts a ON a.id = m.account_id"
                + " WHERE p.id = ? AND p.sent > 0 AND m.merchant_id IS NOT NULL")
        .params(EventType.MANDATE_PULLED.wireName(), payout.id())
        .update();
  }

  private static long min(long a, long b) {
    return Long.compareUnsigned(a, b) <= 0 ? a : b;
  }
}
