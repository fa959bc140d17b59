package dev.inlet.ledger.postgres;

import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchDecider;
import dev.inlet.ledger.batch.InvariantViolation;
import dev.inlet.ledger.batch.LedgerCache;
import dev.inlet.ledger.batch.LedgerState;
import dev.inlet.ledger.postgres.BatchStatement.AccountTotals;
import dev.inlet.ledger.postgres.BatchStatement.InvoiceTotals;
import dev.inlet.ledger.postgres.BatchStatement.Totals;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger writer's durable step ({@link PostgresLedger}): one batch of packets decided and
 * committed — on the writer's {@link LedgerCache} by one autocommit statement ({@link
 * BatchStatement}) when the cache holds everything the batch touches, else read and decided under
 * row locks ({@link BatchTransaction}), and redone under locks when the database finds the cache
 * was stale. The cache learns what each commit wrote and what the database now holds. Used by the
 * writer thread only.
 */
final class BatchWriter {
  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

  /**
   * Writes of one batch at most: the cached write, then under row locks, again while replicas'
   * serialization failures or deadlocks get in the way. Past it the batch fails.
   */
  static final int maxWriteAttempts = 5;

  private final DataSource dataSource;
  private final long connectorAccountId;
  private final BatchDecider decider;
  private final BatchStatement statement;
  private final BatchTransaction transaction;
  private final LedgerCache cache;
  private final Clock clock;
  private final LedgerMetrics metrics;
  private final LongAdder commits = new LongAdder();

  BatchWriter(
      DataSource dataSource,
      long connectorAccountId,
      BatchDecider decider,
      LedgerCache cache,
      Clock clock,
      LedgerMetrics metrics) {
    this.dataSource = dataSource;
    this.connectorAccountId = connectorAccountId;
    this.decider = decider;
    this.statement = new BatchStatement(connectorAccountId);
    this.transaction = new BatchTransaction(connectorAccountId, decider);
    this.cache = cache;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Transactions committed so far (each holds a batch of packets). */
  long commits() {
    return commits.sum();
  }

  /**
   * Decides and writes one batch: on the cache when it can, and under row locks when it cannot or
   * when the database refused the cached write as stale; in a bounded loop ({@link
   * #maxWriteAttempts}), never by recursion.
   *
   * @return each packet's outcome, in order, once its batch is committed
   * @throws SQLException when the database fails (unreachable, or refuses the batch however often
   *     it is redone); nothing of the batch is then committed
   * @throws InvariantViolation when the batch would break a rule of money (nothing written), or the
   *     database's answer disagrees with it
   */
  List<PacketOutcome> write(List<PacketRecord> packets) throws SQLException {
    LedgerState cached = cache.stateFor(packets);
    for (int attempt = 1; ; attempt++) {
      boolean onCache = attempt == 1 && cached != null;
      try {
        return onCache ? writeCached(packets, cached) : writeLocked(packets);
      } catch (SQLException e) {
        if (SqlStates.invariantViolated.equals(e.getSQLState())) {
          // The statement refused a batch that breaks a rule of money and wrote nothing: a bug,
          // which redoing the batch cannot mend. Failed as a whole (UNAVAILABLE), counted and
          // logged by commit.
          throw new InvariantViolation(
              "the batch statement refused the batch: " + e.getMessage(), e);
        }
        boolean redo = onCache ? !SqlStates.unreachable(e) : SqlStates.retryLocked(e);
        if (!redo || attempt >= maxWriteAttempts) {
          throw e;
        }
        if (!SqlStates.staleBatch.equals(e.getSQLState())
            && !SqlStates.uniqueViolation.equals(e.getSQLState())) {
          log.debug(
              "Ledger write failed (SQLState {}); redoing the batch under locks",
              e.getSQLState(),
              e);
        }
      }
    }
  }

  /** The batch decided on the cache and written by one autocommit statement: one round trip. */
  private List<PacketOutcome> writeCached(List<PacketRecord> packets, LedgerState cached)
      throws SQLException {
    boolean committed = false;
    try {
      // Decided before a pooled connection is taken: it is held for the statement alone.
      BatchChanges changes = new BatchChanges();
      List<PacketOutcome> outcomes = decider.decide(packets, cached, changes, clock.instant());
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        remember(statement.execute(c, changes));
      }
      committed = true;
      commits.increment();
      metrics.batch(true);
      cache.committed(cached, changes);
      return outcomes;
    } finally {
      // The decider changed the cache as it went: whatever did not commit must not be remembered.
      if (!committed) {
        cache.forget(packets);
      }
    }
  }

  /** The batch read and decided under row locks, in one transaction. */
  private List<PacketOutcome> writeLocked(List<PacketRecord> packets) throws SQLException {
    LedgerState state = new LedgerState();
    BatchChanges changes = new BatchChanges();
    boolean committed = false;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<PacketOutcome> outcomes =
            transaction.lockAndDecide(c, packets, state, changes, clock.instant());
        Totals totals = statement.execute(c, changes);
        transaction.checkReceived(state, totals);
        remember(totals);
        c.commit();
        committed = true;
        commits.increment();
        metrics.batch(false);
        cache.committed(state, changes);
        return outcomes;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } finally {
      // The write refreshed cached accounts before the commit: forget them when it did not happen.
      if (!committed) {
        cache.forget(packets);
      }
    }
  }

  /**
   * Each credited account's totals as the database has them now (another replica may have credited
   * it too).
   */
  private void remember(Totals totals) {
    for (AccountTotals a : totals.accounts()) {
      if (a.id() != connectorAccountId) {
        cache.account(a.id(), a.received(), a.receiveLimit());
      }
    }
    for (InvoiceTotals i : totals.invoices()) {
      cache.invoice(i.id(), i.received(), !i.state().equals("completed"));
    }
  }
}
