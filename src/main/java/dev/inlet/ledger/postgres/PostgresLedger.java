package dev.inlet.ledger.postgres;

import dev.inlet.ledger.ConnectionLimits;
import dev.inlet.ledger.Ledger;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.batch.BatchDecider;
import dev.inlet.ledger.batch.InvariantViolation;
import dev.inlet.ledger.batch.LedgerCache;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL ledger with group commit: packets queue up while the previous batch commits, then
 * the next batch is applied at once — one WAL flush for the batch, not one per packet. A single
 * writer thread owns the database work ({@link BatchWriter}), so no Netty event loop ever waits on
 * JDBC. Most batches are decided on the writer's {@link LedgerCache} and written by one autocommit
 * statement ({@link BatchStatement}: one round trip, which checks the cache was right); the others,
 * and any the database refuses as stale, are read and decided under row locks ({@link
 * BatchTransaction}). Futures complete after the commit returns, or with {@link
 * Outcome#UNAVAILABLE} when it fails: the database unreachable (within the pool's connection
 * timeout, {@code DatabaseConfig}), a packet it refuses, or a broken rule of money ({@link
 * InvariantViolation}, logged as an error) — never with a Fulfill. The batch statement checks the
 * rules of money before its commit ({@link SqlStates#invariantViolated}), so a batch failed for one
 * has written nothing.
 */
public final class PostgresLedger implements Ledger, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresLedger.class);

  /** Packets waiting for the writer; past this the ledger answers BUSY at once (back-pressure). */
  public static final int maxQueuedPackets = 16_384;

  /** Packets applied in one transaction at most. */
  public static final int maxBatchPackets = 1_024;

  /**
   * A packet this close to its expiry when its batch starts is not credited: the Fulfill could
   * arrive too late.
   */
  public static final Duration minExpiryMarginAtCommit = Duration.ofMillis(500);

  /** How long the idle writer waits for a packet before it looks whether it should stop. */
  private static final Duration writerIdlePoll = Duration.ofMillis(100);

  private final LedgerCache cache;
  private final BatchWriter batches;
  private final InvoiceAccounts invoiceAccounts;
  private final Clock clock;
  private final CommitQueue<Pending> queue;
  private final Thread writer;
  private volatile boolean running = true;
  private final LedgerMetrics metrics;

  /**
   * @param dataSource the database (migrated)
   * @param connectorAccountId the connector's account, debited for every credit
   * @param maxDataBytesPerConnection bound on StreamData kept per connection
   * @param maxCachedConnections connections whose state the writer keeps between batches
   * @param metrics where commit sizes, latencies and received amounts are reported
   */
  public PostgresLedger(
      DataSource dataSource,
      long connectorAccountId,
      int maxDataBytesPerConnection,
      int maxCachedConnections,
      Clock clock,
      LedgerMetrics metrics) {
    this(
        dataSource,
        connectorAccountId,
        maxDataBytesPerConnection,
        maxCachedConnections,
        clock,
        metrics,
        ConnectionLimits.none,
        Duration.ZERO);
  }

  /**
   * As above, holding each connection to {@code connectionLimits} ({@link
   * Outcome#CONNECTION_LIMIT}) and a small batch up to {@code commitDelay} for more packets when
   * the previous batch was small ({@link CommitQueue}; {@code inlet.ledger.commit-delay}); zero:
   * never.
   */
  public PostgresLedger(
      DataSource dataSource,
      long connectorAccountId,
      int maxDataBytesPerConnection,
      int maxCachedConnections,
      Clock clock,
      LedgerMetrics metrics,
      ConnectionLimits connectionLimits,
      Duration commitDelay) {
    this.queue = new CommitQueue<>(maxQueuedPackets, commitDelay);
    this.metrics = metrics;
    this.cache = new LedgerCache(maxCachedConnections);
    this.batches =
        new BatchWriter(
            dataSource,
            connectorAccountId,
            new BatchDecider(maxDataBytesPerConnection, connectionLimits),
            cache,
            clock,
            metrics);
    this.invoiceAccounts = new InvoiceAccounts(dataSource);
    this.clock = clock;
    this.writer = new Thread(this::run, "inlet-ledger-writer");
    writer.start();
  }

  @Override
  public CompletableFuture<PacketOutcome> apply(PacketRecord packet) {
    Pending pending = new Pending(packet, new CompletableFuture<>());
    if (!running) {
      pending.result.complete(PacketOutcome.of(Outcome.UNAVAILABLE));
    } else if (!queue.offer(pending)) {
      pending.result.complete(PacketOutcome.of(Outcome.BUSY));
    }
    return pending.result;
  }

  /** Transactions committed so far (each holds a batch of packets). */
  public long commits() {
    return batches.commits();
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
        if (queue.take(batch, maxBatchPackets, writerIdlePoll)) {
          commit(batch);
        }
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
    live = withInvoiceAccounts(live);
    if (live.isEmpty()) {
      return;
    }
    // A batch the database refuses is applied again packet by packet, so that one bad packet cannot
    // fail the others: a work list, not recursion, of at most 1 + live.size() groups.
    ArrayDeque<List<Pending>> groups = new ArrayDeque<>();
    groups.add(live);
    while (!groups.isEmpty()) {
      List<Pending> group = groups.poll();
      try {
        long started = System.nanoTime();
        List<PacketOutcome> outcomes = batches.write(packets(group));
        metrics.committed(group.size(), System.nanoTime() - started, received(group, outcomes));
        complete(group, outcomes);
      } catch (SQLException e) {
        if (group.size() == 1 || SqlStates.unreachable(e)) {
          // Unreachable: every packet would wait out the pool's timeout again; the connector
          // retries instead.
          log.error(
              "Ledger could not apply {} packets (SQLState {})", group.size(), e.getSQLState(), e);
          fail(group);
        } else {
          log.warn(
              "Ledger batch of {} failed (SQLState {}); applying packets singly",
              group.size(),
              e.getSQLState());
          group.forEach(p -> groups.add(List.of(p)));
        }
      } catch (InvariantViolation e) {
        log.error(
            "LEDGER INVARIANT VIOLATED, failing a batch of {} packets: {}",
            group.size(),
            e.getMessage(),
            e);
        metrics.invariantViolated();
        fail(group);
      }
    }
  }

  /**
   * The packets with each invoice's account filled in (the receiver knows only the invoice): from
   * the cache, else read in one query. A packet for an invoice the database does not have (a token
   * from another database) is answered {@link Outcome#INVOICE_CLOSED} and left out. Should the read
   * fail, the invoices' packets are answered {@link Outcome#UNAVAILABLE}.
   */
  private List<Pending> withInvoiceAccounts(List<Pending> live) {
    Set<Long> unknown = null;
    boolean invoices = false;
    for (Pending p : live) {
      invoices |= p.packet.invoiceId() != 0;
      if (p.packet.invoiceId() != 0 && cache.accountOfInvoice(p.packet.invoiceId()) == 0) {
        if (unknown == null) {
          unknown = new HashSet<>();
        }
        unknown.add(p.packet.invoiceId());
      }
    }
    if (!invoices) {
      return live; // the common batch: nothing to resolve, nothing copied
    }
    Map<Long, Long> read = Map.of();
    if (unknown != null) {
      try {
        read = invoiceAccounts.read(unknown);
      } catch (SQLException e) {
        log.error("Ledger could not read the accounts of {} invoices", unknown.size(), e);
        read = null;
      }
    }
    List<Pending> resolved = new ArrayList<>(live.size());
    for (Pending p : live) {
      long invoice = p.packet.invoiceId();
      if (invoice == 0) {
        resolved.add(p);
        continue;
      }
      long account = cache.accountOfInvoice(invoice);
      if (account == 0 && read == null) {
        p.result.complete(PacketOutcome.of(Outcome.UNAVAILABLE));
        continue;
      }
      if (account == 0) {
        account = read.getOrDefault(invoice, 0L);
      }
      if (account == 0) {
        p.result.complete(PacketOutcome.of(Outcome.INVOICE_CLOSED));
      } else {
        resolved.add(new Pending(p.packet.withAccount(account), p.result));
      }
    }
    return resolved;
  }

  private static List<PacketRecord> packets(List<Pending> group) {
    List<PacketRecord> packets = new ArrayList<>(group.size());
    for (Pending p : group) {
      packets.add(p.packet);
    }
    return packets;
  }

  private static void fail(List<Pending> group) {
    group.forEach(p -> p.result.complete(PacketOutcome.of(Outcome.UNAVAILABLE)));
  }

  /**
   * Sum of the amounts credited (not retried) in a committed batch; unsigned, saturating for the
   * metric.
   */
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
