package dev.inlet.ledger.postgres;

import dev.inlet.ledger.BatchDecider;
import dev.inlet.ledger.BatchWrites;
import dev.inlet.ledger.Ledger;
import dev.inlet.ledger.LedgerCache;
import dev.inlet.ledger.LedgerState;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL ledger with group commit: packets queue up while the previous batch commits, then the next batch
 * is applied at once — one WAL flush for the batch, not one per packet. A single writer thread owns the database
 * work, so no Netty event loop ever waits on JDBC. Most batches are decided on the writer's {@link LedgerCache}
 * and written by one autocommit statement ({@link BatchWrite}: one round trip, which checks the cache was right);
 * the others, and any the database refuses, are read and decided under row locks ({@link BatchTransaction}).
 * Futures complete after the commit returns (or with {@link Outcome#UNAVAILABLE} when it fails: nothing credited).
 */
public final class PostgresLedger implements Ledger, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresLedger.class);
  /** Packets waiting for the writer; past this the ledger answers UNAVAILABLE at once (back-pressure). */
  public static final int maxQueuedPackets = 16_384;
  /** Packets applied in one transaction at most. */
  public static final int maxBatchPackets = 1_024;
  /** A packet this close to its expiry when its batch starts is not credited: the Fulfill could arrive too late. */
  public static final Duration minExpiryMarginAtCommit = Duration.ofMillis(500);
  /** Serialization failures and deadlocks between replicas are retried this many times. */
  private static final int maxRetries = 5;

  /** Connections whose state the writer keeps between batches. */
  public static final int maxCachedConnections = 50_000;

  private final DataSource dataSource;
  private final BatchDecider decider;
  private final BatchWrite write;
  private final BatchTransaction transaction;
  private final LedgerCache cache = new LedgerCache(maxCachedConnections);
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(maxQueuedPackets);
  private final Thread writer;
  private volatile boolean running = true;
  private final LongAdder commits = new LongAdder();
  private final LedgerMetrics metrics;

  /**
   * @param dataSource the database (migrated)
   * @param connectorAccountId the connector's account, debited for every credit
   * @param maxDataBytesPerConnection bound on StreamData kept per connection
   * @param metrics where commit sizes, latencies and received amounts are reported
   */
  public PostgresLedger(DataSource dataSource, long connectorAccountId, int maxDataBytesPerConnection, Clock clock,
      LedgerMetrics metrics) {
    this.dataSource = dataSource;
    this.metrics = metrics;
    this.decider = new BatchDecider(maxDataBytesPerConnection);
    this.write = new BatchWrite(connectorAccountId);
    this.transaction = new BatchTransaction(connectorAccountId, decider, write);
    this.clock = clock;
    this.writer = new Thread(this::run, "inlet-ledger-writer");
    writer.start();
  }

  @Override
  public CompletableFuture<PacketOutcome> apply(PacketRecord packet) {
    Pending pending = new Pending(packet, new CompletableFuture<>());
    if (!running || !queue.offer(pending)) {
      pending.result.complete(PacketOutcome.of(Outcome.UNAVAILABLE));
    }
    return pending.result;
  }

  /** Transactions committed so far (each holds a batch of packets). */
  public long commits() {
    return commits.sum();
  }


  /** Stops taking packets, applies those already queued, then stops the writer. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    writer.join(TimeUnit.SECONDS.toMillis(30));
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatchPackets);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatchPackets - 1);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("Ledger writer failed on a batch of {} packets", batch.size(), e);
        batch.forEach(p -> p.result.complete(PacketOutcome.of(Outcome.UNAVAILABLE)));
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Pending> batch) {
    var deadline = clock.instant().plus(minExpiryMarginAtCommit);
    List<Pending> live = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (p.packet.expiresAt().isBefore(deadline)) {
        p.result.complete(PacketOutcome.of(Outcome.EXPIRED));
      } else {
        live.add(p);
      }
    }
    if (live.isEmpty()) {
      return;
    }
    try {
      long started = System.nanoTime();
      List<PacketOutcome> outcomes = execute(live);
      metrics.committed(live.size(), System.nanoTime() - started, received(live, outcomes));
      complete(live, outcomes);
    } catch (SQLException e) {
      if (live.size() == 1) {
        log.error("Ledger could not apply a packet (SQLState {})", e.getSQLState(), e);
        live.get(0).result.complete(PacketOutcome.of(Outcome.UNAVAILABLE));
        return;
      }
      // One bad packet must not fail the others: apply them one by one.
      log.warn("Ledger batch of {} failed (SQLState {}); applying packets singly", live.size(), e.getSQLState());
      for (Pending p : live) {
        commit(List.of(p));
      }
    }
  }

  private List<PacketOutcome> execute(List<Pending> live) throws SQLException {
    List<PacketRecord> packets = live.stream().map(Pending::packet).toList();
    LedgerState cached = cache.prepare(packets);
    if (cached != null) {
      boolean committed = false;
      try (Connection c = dataSource.getConnection()) {
        BatchWrites writes = new BatchWrites();
        List<PacketOutcome> outcomes = decider.decide(packets, cached, writes);
        c.setAutoCommit(true);
        write.execute(c, writes, cache);
        committed = true;
        commits.increment();
        metrics.batch(true);
        cache.committed(cached, writes);
        return outcomes;
      } catch (SQLException e) {
        // Stale cache (another replica, a restart, a retried sequence): nothing was written; redo under locks.
        if (!BatchWrite.stale.equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
          log.debug("Cached ledger write failed (SQLState {}); redoing the batch under locks", e.getSQLState(), e);
        }
      } finally {
        // The decider changed the cache as it went: whatever did not commit must not be remembered.
        if (!committed) {
          cache.forget(packets);
        }
      }
    }
    return executeLocked(packets);
  }

  private List<PacketOutcome> executeLocked(List<PacketRecord> packets) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      LedgerState state = new LedgerState();
      BatchWrites writes = new BatchWrites();
      boolean committed = false;
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          List<PacketOutcome> outcomes = transaction.execute(c, packets, state, writes, cache);
          c.commit();
          committed = true;
          commits.increment();
          metrics.batch(false);
          cache.committed(state, writes);
          return outcomes;
        } catch (SQLException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        boolean retryable = "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
        if (!retryable || attempt >= maxRetries) {
          throw e;
        }
      } finally {
        // The write refreshed cached accounts before the commit: forget them when it did not happen.
        if (!committed) {
          cache.forget(packets);
        }
      }
    }
  }

  /** Sum of the amounts credited (not retried) in a committed batch; unsigned, saturating for the metric. */
  private static double received(List<Pending> live, List<PacketOutcome> outcomes) {
    double sum = 0;
    for (int i = 0; i < live.size(); i++) {
      if (outcomes.get(i).outcome() == Outcome.FULFILLED) {
        long amount = live.get(i).packet.amount();
        sum += amount >= 0 ? amount : Math.pow(2, 64) + amount;
      }
    }
    return sum;
  }

  private static void complete(List<Pending> live, List<PacketOutcome> outcomes) {
    for (int i = 0; i < live.size(); i++) {
      live.get(i).result.complete(outcomes.get(i));
    }
  }

  private record Pending(PacketRecord packet, CompletableFuture<PacketOutcome> result) {}
}
