package dev.inlet.ledger.postgres;

import dev.inlet.jobs.PeriodicJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes STREAM connections that never received money and have had no packet for {@code maxIdle}:
 * zero-amount Prepares on fresh connections (a sender's handshake that never paid, or anyone's
 * probes) would otherwise each leave a row for ever. With the connection go its kept {@code
 * StreamData} rows: a connection that received nothing describes no payment, and its data (up to
 * {@code ConnectionMaxData} a connection) is the larger part of what such senders could leave
 * behind. Accounts, transfers, entries and credited packets are never touched, nor is any
 * connection with money, whatever its age.
 *
 * <p>Each statement deletes at most {@link #maxConnectionsPerStatement} rows, locked {@code FOR
 * UPDATE SKIP LOCKED}: it never waits for a row a ledger batch holds (nor for another replica's
 * pruner: deletes are idempotent, so several replicas may run it at once), and a batch that wants a
 * row it holds waits one short statement. A run repeats statements while they come back full, at
 * most {@link #maxStatementsPerRun}. Candidates are found by a scan of {@code connections} stopped
 * by the limit, not by an index: every index on {@code total_received} or the rows it selects would
 * make the packet path's updates of the connection non-HOT (docs/design.md).
 *
 * <p>The ledger writer may still cache a deleted connection: its next batch there is refused by the
 * batch statement (the row is not at the cached version) and redone under locks, which creates the
 * connection again, fresh — which, as the deleted one held no money, is the state it had: totals
 * zero, no credited sequence. A locked batch that finds the row gone between its insert and its
 * lock is redone too ({@link SqlStates#connectionPruned}).
 */
public final class PostgresConnectionPruner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresConnectionPruner.class);

  /** Rows one statement deletes at most: its locks are held for one short statement. */
  public static final int maxConnectionsPerStatement = 1_000;

  /** Statements of one run at most, each its own transaction: 100,000 connections a run. */
  public static final int maxStatementsPerRun = 100;

  /** How long {@link #close} waits for a running statement. */
  static final String sql =
      """
      WITH doomed AS (
        SELECT c.id FROM connections c
        WHERE c.total_received = 0 AND c.last_packet_at < now() - make_interval(secs => ?)
          AND NOT EXISTS (SELECT 1 FROM packets p WHERE p.connection_id = c.id)
        LIMIT ? FOR UPDATE OF c SKIP LOCKED),
      data AS (DELETE FROM stream_data d USING doomed WHERE d.connection_id = doomed.id)
      DELETE FROM connections c USING doomed WHERE c.id = doomed.id AND c.total_received = 0
      """;

  private final DataSource dataSource;
  private final Duration maxIdle;
  private final Counter pruned;
  private PeriodicJob job;
  private volatile boolean stopping;

  /**
   * @param maxIdle connections without money are deleted once this long without a packet
   * @param registry where {@code inlet_connections_pruned_total} is counted
   */
  public PostgresConnectionPruner(DataSource dataSource, Duration maxIdle, MeterRegistry registry) {
    this.dataSource = dataSource;
    this.maxIdle = maxIdle;
    this.pruned =
        Counter.builder("inlet.connections.pruned")
            .description("STREAM connections deleted for never receiving money while idle")
            .register(registry);
  }

  /**
   * Runs {@link #prune} every {@code interval}, the first time after a random part of it, so that
   * replicas started together do not scan at the same moment.
   */
  public synchronized void start(Duration interval) {
    if (job != null) {
      throw new IllegalStateException("already started");
    }
    job = PeriodicJob.start("inlet-connection-pruner", interval, this::pruneLogged);
    log.info(
        "Connections without money are deleted after {} without a packet; checked every {}",
        maxIdle,
        interval);
  }

  /**
   * Deletes connections without money idle past {@code maxIdle}, a statement at a time.
   *
   * @return connections deleted
   * @throws SQLException when the database fails a statement (those before it stay committed)
   */
  public long prune() throws SQLException {
    long total = 0;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.setDouble(1, maxIdle.toMillis() / 1000.0);
        st.setInt(2, maxConnectionsPerStatement);
        for (int i = 0; i < maxStatementsPerRun && !stopping; i++) {
          int deleted = st.executeUpdate();
          total += deleted;
          pruned.increment(deleted);
          if (deleted < maxConnectionsPerStatement) {
            break;
          }
        }
      }
    }
    return total;
  }

  private void pruneLogged() throws SQLException {
    long deleted = prune();
    if (deleted > 0) {
      log.info(
          "Deleted {} connections that received no money and had no packet for {}",
          deleted,
          maxIdle);
    }
  }

  /** Stops the schedule: no statement starts after this, and a running one is waited for. */
  @Override
  public synchronized void close() throws InterruptedException {
    stopping = true;
    if (job != null) {
      job.close();
    }
  }
}
