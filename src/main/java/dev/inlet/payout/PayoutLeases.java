package dev.inlet.payout;

import dev.inlet.ledger.postgres.Reservations;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who is sending which payout (db/V4 {@code payouts.lease_until}): the replica sending a payout
 * renews its lease; any replica ends the payouts whose lease ran out; and the payouts of a revoked
 * voucher or mandate are found here, to stop.
 */
final class PayoutLeases {
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final Reservations reservations;
  private final Payouts payouts;

  PayoutLeases(DataSource dataSource, Payouts payouts) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.reservations = new Reservations(jdbc);
    this.payouts = payouts;
  }

  /** Those of {@code ids} whose voucher or mandate was revoked. */
  List<Long> revokedAmong(List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            "SELECT p.id FROM payouts p LEFT JOIN vouchers v ON v.id = p.voucher_id"
                + " LEFT JOIN mandates m ON m.id = p.mandate_id WHERE p.id = ANY(?)"
                + " AND (v.state = 'revoked' OR m.state = 'revoked')")
        .param(ids.toArray(Long[]::new))
        .query(Long.class)
        .list();
  }

  /** Keeps the payouts this replica is sending from looking abandoned. */
  void renewLeases(List<Long> ids, java.time.Duration lease) {
    if (ids.isEmpty()) {
      return;
    }
    jdbc.sql(
            "UPDATE payouts SET lease_until = now() + make_interval(secs => ?)"
                + " WHERE id = ANY(?) AND state = 'sending'")
        .params((double) lease.toSeconds(), ids.toArray(Long[]::new))
        .update();
  }

  /**
   * Payouts whose sender stopped renewing its lease (its replica crashed or was killed): their
   * unanswered packets become in doubt and each payout ends {@code failed}, its unspent money
   * released and what may have left kept reserved.
   *
   * @return how many were taken over
   */
  int recoverAbandoned() {
    List<Long> ids =
        jdbc.sql(
                "SELECT id FROM payouts WHERE state = 'sending' AND lease_until < now()"
                    + " ORDER BY id LIMIT 100")
            .query(Long.class)
            .list();
    for (long id : ids) {
      transaction.executeWithoutResult(
          status -> {
            Optional<Long> reservation =
                jdbc.sql(
                        "SELECT transfer_id FROM payouts WHERE id = ? AND state = 'sending'"
                            + " AND lease_until < now() FOR UPDATE SKIP LOCKED")
                    .param(id)
                    .query(Long.class)
                    .optional();
            reservation.ifPresent(reservations::abandon);
          });
      payouts.end(id, "interrupted: Inlet stopped while sending this payout", 0, null);
    }
    return ids.size();
  }
}
