package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ledger.Accounts;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.TestPackets;
import dev.inlet.ledger.postgres.LedgerMetrics;
import dev.inlet.ledger.postgres.PostgresAccounts;
import dev.inlet.ledger.postgres.PostgresLedger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ledger writer decides most batches on its cache and writes them in one statement; these tests
 * change the database behind that cache — a second writer on the same PostgreSQL, as a second
 * replica has, and retried sequences — and check the statement notices, the batch is redone under
 * locks, and no total goes wrong; and a batch breaking a rule of money, caught by the decider or by
 * the statement itself, is rejected and not written.
 */
class CachedLedgerTest extends InletPerClass {
  private static final SecureRandom random = new SecureRandom();
  private PostgresLedger inletLedger;
  private PostgresLedger otherReplica;
  private JdbcClient jdbc;

  @BeforeEach
  void secondWriter() {
    DataSource dataSource = inlet.bean(DataSource.class);
    long connector = inlet.bean(PostgresAccounts.class).ensureConnectorAccount("USD", 2);
    inletLedger = inlet.bean(PostgresLedger.class);
    otherReplica =
        new PostgresLedger(
            dataSource,
            connector,
            16_384,
            1_000,
            Clock.systemUTC(),
            new LedgerMetrics(new SimpleMeterRegistry(), "USD", 2));
    jdbc = JdbcClient.create(dataSource);
  }

  @AfterEach
  void stopSecondWriter() throws InterruptedException {
    otherReplica.close();
  }

  @Test
  void laterBatchesOfAKnownConnectionAreWrittenFromTheCache() throws Exception {
    long account = account("cache-hit", null);
    byte[] connection = connectionId();
    double cachedBefore = batches("cached");
    for (int sequence = 1; sequence <= 5; sequence++) {
      assertThat(apply(inletLedger, connection, account, sequence, 10).outcome())
          .isEqualTo(Outcome.FULFILLED);
    }
    // The first batch reads the account under locks; the other four need no read.
    assertThat(batches("cached") - cachedBefore).isEqualTo(4);
    assertThat(inlet.balance("cache-hit")).isEqualTo(50);
    assertThat(streamReceived(connection)).isEqualTo(50);
  }

  @Test
  void twoWritersTakingTurnsOnOneConnectionKeepExactTotals() throws Exception {
    long account = account("two-writers", null);
    byte[] connection = connectionId();
    double lockedBefore = batches("locked");
    for (int sequence = 1; sequence <= 20; sequence++) {
      PostgresLedger writer = sequence % 2 == 0 ? otherReplica : inletLedger;
      PacketOutcome outcome = apply(writer, connection, account, sequence, 10);
      assertThat(outcome.outcome()).isEqualTo(Outcome.FULFILLED);
      // Each reply carries the stream's true total, whichever writer credited the packets before.
      assertThat(outcome.streams().get(0).received()).isEqualTo(10L * sequence);
    }
    assertThat(batches("locked") - lockedBefore)
        .as("stale cache noticed and the batch redone")
        .isGreaterThan(5);
    assertThat(inlet.balance("two-writers")).isEqualTo(200);
    assertThat(streamReceived(connection)).isEqualTo(200);
    assertThat(
            jdbc.sql("SELECT total_received FROM connections WHERE id = ?")
                .param(connection)
                .query(Long.class)
                .single())
        .isEqualTo(200);
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
  }

  @Test
  void aConnectionAnotherWriterOpenedIsNotTakenForNew() throws Exception {
    long account = account("opened-elsewhere", null);
    byte[] known = connectionId();
    byte[] elsewhere = connectionId();
    apply(inletLedger, known, account, 1, 5);
    apply(otherReplica, elsewhere, account, 1, 30);
    // This writer knows the account but not the connection: it guesses "new", and the statement
    // refuses.
    PacketOutcome outcome = apply(inletLedger, elsewhere, account, 2, 12);
    assertThat(outcome.outcome()).isEqualTo(Outcome.FULFILLED);
    assertThat(outcome.streams().get(0).received()).isEqualTo(42);
    assertThat(inlet.balance("opened-elsewhere")).isEqualTo(47);
  }

  @Test
  void aSequenceCreditedInAnEarlierBatchIsFulfilledAgainButNotCreditedAgain() throws Exception {
    long account = account("retried", null);
    byte[] connection = connectionId();
    apply(inletLedger, connection, account, 1, 10);
    apply(inletLedger, connection, account, 2, 10);
    assertThat(apply(inletLedger, connection, account, 1, 10).outcome())
        .isEqualTo(Outcome.DUPLICATE);
    assertThat(apply(inletLedger, connection, account, 2, 11).outcome())
        .isEqualTo(Outcome.SEQUENCE_REUSED);
    assertThat(apply(inletLedger, connection, account, 3, 10).outcome())
        .isEqualTo(Outcome.FULFILLED);
    assertThat(inlet.balance("retried")).isEqualTo(30);
  }

  @Test
  void theReceiveLimitHoldsWhenAnotherWriterCreditedBehindTheCache() throws Exception {
    long account = account("limited", "100");
    apply(inletLedger, connectionId(), account, 1, 10);
    // This writer's cache still says 10 received; the other credits 80 more.
    apply(otherReplica, connectionId(), account, 1, 80);
    assertThat(apply(inletLedger, connectionId(), account, 1, 20).outcome())
        .isEqualTo(Outcome.LIMIT_EXCEEDED);
    assertThat(apply(inletLedger, connectionId(), account, 1, 10).outcome())
        .isEqualTo(Outcome.FULFILLED);
    assertThat(inlet.balance("limited")).isEqualTo(100);
  }

  @Test
  void aBatchBreakingARuleOfMoneyFailsUnavailableAndCreditsNothing() throws Exception {
    long account = account("broken", null);
    byte[] connection = connectionId();
    apply(inletLedger, connection, account, 1, 10);
    double violations =
        inlet.bean(MeterRegistry.class).get("inlet.ledger.invariant.violations").counter().count();
    // Shares that do not add up to the amount: what only a bug in the receiver could send.
    PacketRecord broken =
        new PacketRecord(
            connection,
            account,
            0L,
            null,
            2,
            10,
            Instant.now().plusSeconds(30),
            true,
            false,
            List.of(new StreamCredit(1, 9, false)),
            List.of());

    assertThat(inletLedger.apply(broken).get(30, TimeUnit.SECONDS).outcome())
        .isEqualTo(Outcome.UNAVAILABLE);
    assertThat(
            inlet
                .bean(MeterRegistry.class)
                .get("inlet.ledger.invariant.violations")
                .counter()
                .count())
        .isEqualTo(violations + 1);
    // Rejected and not written: no packet row, entry, connection or stream total moved.
    assertThat(inlet.balance("broken")).isEqualTo(10);
    assertThat(written(connection, account))
        .isEqualTo("packets 1, entries 1, connection 10, stream 10");
    // The cache forgot what the failed batch decided: the next packet is credited on the true
    // totals.
    PacketOutcome next = apply(inletLedger, connection, account, 3, 5);
    assertThat(next.outcome()).isEqualTo(Outcome.FULFILLED);
    assertThat(next.streams().get(0).received()).isEqualTo(15);
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
  }

  @Test
  void aBatchTheStatementRefusesForARuleOfMoneyIsRejectedAndNotWritten() throws Exception {
    long account = account("refused", null);
    byte[] connection = connectionId();
    AtomicBoolean tamper = new AtomicBoolean();
    AtomicInteger tamperedStatements = new AtomicInteger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    long connector = inlet.bean(PostgresAccounts.class).ensureConnectorAccount("USD", 2);
    PostgresLedger writer =
        new PostgresLedger(
            tampering(inlet.bean(DataSource.class), tamper, tamperedStatements),
            connector,
            16_384,
            1_000,
            Clock.systemUTC(),
            new LedgerMetrics(registry, "USD", 2));
    try {
      apply(writer, connection, account, 1, 10);
      // Decided on the cache: the next batch is one autocommit statement, its own transaction.
      assertThat(apply(writer, connection, account, 2, 10).outcome()).isEqualTo(Outcome.FULFILLED);
      assertThat(registry.get("inlet.ledger.batches").tag("path", "cached").counter().count())
          .isEqualTo(1);
      String before = written(connection, account);

      // The statement sees each account's decided credit one more than its packets post: what only
      // a bug could do.
      tamper.set(true);
      assertThat(apply(writer, connection, account, 3, 10).outcome())
          .isEqualTo(Outcome.UNAVAILABLE);
      tamper.set(false);
      assertThat(tamperedStatements.get()).as("refused once, not redone under locks").isEqualTo(1);
      assertThat(registry.get("inlet.ledger.invariant.violations").counter().count()).isEqualTo(1);
      // Rejected and not written: the statement aborted before its commit.
      assertThat(written(connection, account))
          .isEqualTo(before)
          .isEqualTo("packets 2, entries 2, connection 20, stream 20");
      assertThat(inlet.balance("refused")).isEqualTo(20);
      // The sender pays the rejected amount again; it is credited once, on the true totals.
      PacketOutcome again = apply(writer, connection, account, 4, 10);
      assertThat(again.outcome()).isEqualTo(Outcome.FULFILLED);
      assertThat(again.streams().get(0).received()).isEqualTo(30);
      assertThat(inlet.balance("refused")).isEqualTo(30);
      assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
    } finally {
      writer.close();
    }
  }

  @Test
  void aFullQueueAnswersBusyAtOnceAndNothingItTurnedAwayIsCredited() throws Exception {
    long account = account("queue-full", null);
    byte[] connection = connectionId();
    List<CompletableFuture<PacketOutcome>> taken = new ArrayList<>();
    PacketOutcome turnedAway = null;
    // The writer waits for the account's row, held here, while the queue fills behind it.
    try (Connection holder = inlet.bean(DataSource.class).getConnection()) {
      holder.setAutoCommit(false);
      try (Statement st = holder.createStatement()) {
        st.execute("SELECT 1 FROM accounts WHERE id = " + account + " FOR UPDATE");
      }
      // Room for the writer's first batch too: taken before it blocks, up to a full batch when the
      // writer woke late, it leaves the queue empty again.
      long most = PostgresLedger.maxQueuedPackets + PostgresLedger.maxBatchPackets + 1_000;
      for (long sequence = 1; turnedAway == null && sequence <= most; sequence++) {
        CompletableFuture<PacketOutcome> f =
            otherReplica.apply(TestPackets.paying(connection, account, sequence, 1));
        if (f.isDone()) {
          turnedAway = f.join();
        } else {
          taken.add(f);
        }
      }
      holder.rollback();
    }
    assertThat(turnedAway).isNotNull();
    assertThat(turnedAway.outcome()).isEqualTo(Outcome.BUSY);
    assertThat(taken.size()).isGreaterThanOrEqualTo(PostgresLedger.maxQueuedPackets);
    for (CompletableFuture<PacketOutcome> f : taken) {
      assertThat(f.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.FULFILLED);
    }
    assertThat(inlet.balance("queue-full")).isEqualTo(taken.size());
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
  }

  /**
   * Credited packets of the connection, entries of the account, and the connection's and its stream
   * 1's totals.
   */
  private String written(byte[] connection, long account) {
    return "packets "
        + jdbc.sql("SELECT count(*) FROM packets WHERE connection_id = ?")
            .param(connection)
            .query(Long.class)
            .single()
        + ", entries "
        + jdbc.sql("SELECT count(*) FROM entries WHERE account_id = ?")
            .param(account)
            .query(Long.class)
            .single()
        + ", connection "
        + jdbc.sql("SELECT total_received FROM connections WHERE id = ?")
            .param(connection)
            .query(Long.class)
            .single()
        + ", stream "
        + streamReceived(connection);
  }

  /**
   * {@code real}, except that while {@code tamper} is set the ledger's batch statement takes each
   * account's decided credit plus one ({@code account_credit[]}), counted in {@code tampered}.
   */
  private static DataSource tampering(
      DataSource real, AtomicBoolean tamper, AtomicInteger tampered) {
    String decided = "unnest(?::account_credit[])";
    String wrong =
        "(SELECT account_id, amount + 1 AS amount FROM unnest(?::account_credit[])) wrong";
    return StatementHooks.wrap(
        real,
        sql -> {
          if (!tamper.get() || !sql.contains(decided)) {
            return sql;
          }
          tampered.incrementAndGet();
          return sql.replace(decided, wrong);
        });
  }

  private static long account(String name, String limit) {
    inlet.createAccount(name, limit);
    return inlet.bean(Accounts.class).findByName(name).orElseThrow().id();
  }

  private static PacketOutcome apply(
      PostgresLedger ledger, byte[] connection, long account, long sequence, long amount)
      throws Exception {
    return TestPackets.pay(ledger, connection, account, sequence, amount);
  }

  private long streamReceived(byte[] connection) {
    return jdbc.sql("SELECT received FROM streams WHERE connection_id = ? AND stream_id = 1")
        .param(connection)
        .query(Long.class)
        .single();
  }

  private static double batches(String path) {
    return inlet
        .bean(MeterRegistry.class)
        .get("inlet.ledger.batches")
        .tag("path", path)
        .counter()
        .count();
  }

  private static byte[] connectionId() {
    byte[] id = new byte[12];
    random.nextBytes(id);
    return id;
  }
}
