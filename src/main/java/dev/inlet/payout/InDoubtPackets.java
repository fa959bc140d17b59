package dev.inlet.payout;

import dev.inlet.ledger.postgres.OutgoingLedger;
import dev.inlet.ledger.postgres.Reservations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Outgoing packets whose answer is unknown (db/V4 {@code outgoing_packets} in doubt, or prepared
 * and past their expiry with no answer): their money stays reserved — never released as if rejected
 * — until an operator, who can ask the receiver or the connector, says what became of each. A
 * resolution is recorded like an answer (a fulfilled one posts its amount), and a payout that has
 * ended releases what no longer needs holding; one whose every unit was then sent is {@code
 * completed}.
 */
public final class InDoubtPackets {
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final OutgoingLedger ledger;
  private final Reservations reservations;
  private final Payouts payouts;

  public InDoubtPackets(DataSource dataSource, OutgoingLedger ledger, Payouts payouts) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.ledger = ledger;
    this.reservations = new Reservations(jdbc);
    this.payouts = payouts;
  }

  /** Up to {@code limit} in-doubt packets, oldest first, as the admin API lists them. */
  public List<Map<String, Object>> list(int limit) {
    return jdbc.sql(
            "SELECT p.public_id, o.sequence, o.amount, o.min_delivered, inlet_time(o.expires_at),"
                + " p.destination FROM outgoing_packets o JOIN payouts p ON p.transfer_id = o.transfer_id"
                + " WHERE o.state = 'in_doubt' OR (o.state = 'prepared' AND o.expires_at < now()"
                + " AND p.state <> 'sending') ORDER BY o.expires_at LIMIT ?")
        .param(limit)
        .query(
            (rs, n) -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("payout", rs.getString(1));
              m.put("sequence", rs.getLong(2));
              m.put("amount", rs.getBigDecimal(3).toPlainString());
              m.put("min_delivered", rs.getBigDecimal(4).toPlainString());
              m.put("expires_at", rs.getString(5));
              m.put("destination", rs.getString(6));
              return m;
            })
        .list();
  }

  /** What a resolution did. */
  public sealed interface Resolved permits Done, NotInDoubt {}

  /** Recorded; the payout after it. */
  public record Done(StoredPayout payout) implements Resolved {}

  /** No such payout, no such packet, or its answer is known already: nothing changed. */
  public record NotInDoubt() implements Resolved {}

  /**
   * Records what became of an in-doubt packet of an ended payout.
   *
   * @param delivered for a fulfilled packet: what the receiver got, its units
   */
  public Resolved resolve(String payoutId, long sequence, boolean fulfilled, long delivered) {
    Optional<StoredPayout> payout = payouts.find(null, payoutId);
    if (payout.isEmpty() || payout.get().state().equals("sending")) {
      return new NotInDoubt();
    }
    long reservation = payout.get().reservation();
    boolean inDoubt =
        jdbc.sql(
                "SELECT EXISTS (SELECT 1 FROM outgoing_packets WHERE transfer_id = ? AND sequence = ?"
                    + " AND state IN ('in_doubt', 'prepared'))")
            .params(reservation, sequence)
            .query(Boolean.class)
            .single();
    if (!inDoubt) {
      return new NotInDoubt();
    }
    try {
      ledger
          .answered(
              reservation,
              sequence,
              fulfilled ? OutgoingLedger.Answer.FULFILLED : OutgoingLedger.Answer.REJECTED,
              delivered)
          .join();
    } catch (CompletionException e) {
      // Resolved meanwhile by another request: the ledger refused the second answer.
      return new NotInDoubt();
    }
    transaction.executeWithoutResult(
        status -> {
          long id = payout.get().id();
          jdbc.sql("SELECT 1 FROM payouts WHERE id = ? FOR UPDATE").param(id).query().listOfRows();
          // The reservation was left pending for its in-doubt packets: release what is now known.
          reservations
              .end(reservation)
              .ifPresent(
                  ended -> {
                    String shortfall =
                        Payouts.shortfall(ended.held(), ended.posted(), payout.get().amount());
                    jdbc.sql("UPDATE payouts SET state = ?, error = ? WHERE id = ?")
                        .params(shortfall == null ? "completed" : "failed", shortfall, id)
                        .update();
                  });
        });
    return new Done(payouts.get(payout.get().id()));
  }
}
