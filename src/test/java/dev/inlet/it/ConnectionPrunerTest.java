package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamData;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.it.TestSender.Reply;
import dev.inlet.ledger.Accounts;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.TestPackets;
import dev.inlet.ledger.postgres.LedgerMetrics;
import dev.inlet.ledger.postgres.PostgresAccounts;
import dev.inlet.ledger.postgres.PostgresConnectionPruner;
import dev.inlet.ledger.postgres.PostgresLedger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Connections that never received money are deleted by the scheduled pruner once idle past {@code
 * INLET_UNPAID_CONNECTION_MAX_IDLE} (here 10 minutes, checked every second): tested on the embedded
 * PostgreSQL, with rows aged by moving {@code last_packet_at} back. Money is never touched, and a
 * pruned connection the ledger writer still caches takes its next Prepare as a fresh one.
 */
class ConnectionPrunerTest {
  private static final Duration waitForPrune = Duration.ofSeconds(20);
  @TempDir static Path dataDir;
  static TestInlet inlet;
  static JdbcClient jdbc;

  @BeforeAll
  static void start() {
    inlet =
        TestInlet.start(
            dataDir,
            Map.of(
                "inlet.unpaid-connection-max-idle", "10m",
                "inlet.unpaid-connection-prune-interval", "1s"));
    jdbc = JdbcClient.create(inlet.bean(DataSource.class));
  }

  @AfterAll
  static void stop() {
    inlet.close();
  }

  @AfterEach
  void ledgerStaysConsistent() {
    HttpResponse<String> r = inlet.adminGet("/admin/ledger/check");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(TestInlet.json.readTree(r.body()).get("consistent").asBoolean()).isTrue();
  }

  @Test
  void aConnectionThatNeverReceivedMoneyIsDeletedOnceIdleAndThenPaysAfresh() {
    inlet.createAccount("zero-then-paid", null);
    TestSender sender = TestSender.open(inlet, "zero-then-paid");
    byte[] note = "order 42".getBytes(StandardCharsets.UTF_8);
    assertThat(
            sender
                .send(
                    0,
                    new ConnectionNewAddress(IlpAddress.of("test.sender")),
                    new StreamMoney(1, 1),
                    new StreamData(1, 0, note))
                .fulfilled())
        .isTrue();
    // A second zero-amount Prepare: decided on the writer's cache, which now holds the connection.
    double cached = batches("cached");
    assertThat(sender.send(0, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(batches("cached")).isEqualTo(cached + 1);
    byte[] id = connectionOf("zero-then-paid");
    assertThat(count("stream_data", id)).isEqualTo(1);
    double prunedBefore = pruned();

    age(id, Duration.ofHours(25));
    awaitGone(id);

    assertThat(count("stream_data", id)).as("its StreamData goes with it").isZero();
    assertThat(pruned()).isGreaterThanOrEqualTo(prunedBefore + 1);
    // The writer's cache still holds the connection at its old version: the cached write is
    // refused, and the batch redone under locks creates the connection again.
    double locked = batches("locked");
    cached = batches("cached");
    byte[] pay =
        IlpCodec.encode(sender.prepare(500, sender.nextSequence(), 0, new StreamMoney(1, 1)));
    Reply paid = sender.post(pay);
    assertThat(paid.fulfilled()).isTrue();
    assertThat(paid.frame(StreamMaxMoney.class).totalReceived()).isEqualTo(500);
    assertThat(batches("locked")).isEqualTo(locked + 1);
    assertThat(batches("cached")).isEqualTo(cached);
    // Credited once, on a fresh row.
    assertThat(inlet.balance("zero-then-paid")).isEqualTo(500);
    assertThat(count("packets", id)).isEqualTo(1);
    assertThat(
            jdbc.sql(
                    "SELECT total_received || '/' || packets_fulfilled || '/' || version"
                        + " FROM connections WHERE id = ?")
                .param(id)
                .query(String.class)
                .single())
        .isEqualTo("500/1/1");
    // A retry of that Prepare is fulfilled again and credited nothing.
    assertThat(sender.post(pay).fulfill().fulfillment()).isEqualTo(paid.fulfill().fulfillment());
    assertThat(inlet.balance("zero-then-paid")).isEqualTo(500);
  }

  @Test
  void aConnectionWithMoneyIsNeverDeletedWhateverItsAge() {
    inlet.createAccount("paid-long-ago", null);
    TestSender paying = TestSender.open(inlet, "paid-long-ago");
    assertThat(paying.send(1, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(paying.send(0, new StreamMoney(1, 1)).fulfilled()).isTrue();
    byte[] paid = connectionOf("paid-long-ago");
    String before = ledgerRows(paid);
    TestSender idle = TestSender.open(inlet, "paid-long-ago");
    assertThat(idle.send(0, new StreamMoney(1, 1)).fulfilled()).isTrue();
    byte[] unpaid =
        jdbc.sql("SELECT id FROM connections WHERE total_received = 0 AND account_id = ?")
            .param(accountId("paid-long-ago"))
            .query(byte[].class)
            .single();

    age(paid, Duration.ofDays(3650));
    age(unpaid, Duration.ofDays(3650));
    // The unpaid one going shows a run saw both as aged.
    awaitGone(unpaid);

    assertThat(count("connections", paid)).isEqualTo(1);
    assertThat(ledgerRows(paid)).isEqualTo(before);
    assertThat(inlet.balance("paid-long-ago")).isEqualTo(1);
  }

  @Test
  void aClosedConnectionThatNeverReceivedMoneyIsDeletedToo() {
    inlet.createAccount("closed-unpaid", null);
    TestSender sender = TestSender.open(inlet, "closed-unpaid");
    assertThat(
            sender
                .send(0, new StreamMoney(1, 1), new ConnectionClose(StreamErrorCode.NO_ERROR, ""))
                .fulfilled())
        .isTrue();
    byte[] id = connectionOf("closed-unpaid");

    age(id, Duration.ofHours(25));
    awaitGone(id);

    // With nothing received, the closed connection held nothing a fresh one does not: a sender
    // that pays on it again, after the idle time, is credited as on a new connection.
    Reply paid = sender.send(7, new StreamMoney(1, 1));
    assertThat(paid.fulfilled()).isTrue();
    assertThat(inlet.balance("closed-unpaid")).isEqualTo(7);
  }

  @Test
  void aLockedBatchThatFindsItsConnectionPrunedBeforeItsLockIsRedone() throws Exception {
    inlet.createAccount("pruned-mid-batch", null);
    long account = accountId("pruned-mid-batch");
    byte[] id = TestSender.randomBytes(16);
    DataSource real = inlet.bean(DataSource.class);
    long connector = inlet.bean(PostgresAccounts.class).ensureConnectorAccount("USD", 9);
    // Its own idle time, shorter than the scheduled pruner's, so that only it deletes the row.
    PostgresConnectionPruner pruner =
        new PostgresConnectionPruner(real, Duration.ofMinutes(1), new SimpleMeterRegistry());
    PostgresLedger first = ledger(real, connector);
    try {
      assertThat(apply(first, id, account, 1, 0).outcome()).isEqualTo(Outcome.FULFILLED);
    } finally {
      first.close();
    }
    age(id, Duration.ofMinutes(5));
    AtomicBoolean armed = new AtomicBoolean(true);
    AtomicLong prunedInWindow = new AtomicLong(-1);
    // A writer with an empty cache takes the locked path: its insert finds the row, and the
    // pruner deletes it before the lock that follows.
    PostgresLedger second =
        ledger(
            pruningBeforeLock(
                real,
                () -> {
                  if (armed.getAndSet(false)) {
                    prunedInWindow.set(pruner.prune());
                  }
                  return null;
                }),
            connector);
    try {
      PacketOutcome outcome = apply(second, id, account, 2, 10);
      assertThat(prunedInWindow.get()).as("pruned between insert and lock").isEqualTo(1);
      assertThat(outcome.outcome()).isEqualTo(Outcome.FULFILLED);
      assertThat(outcome.streams().get(0).received()).isEqualTo(10);
    } finally {
      second.close();
    }
    assertThat(inlet.balance("pruned-mid-batch")).isEqualTo(10);
    assertThat(count("packets", id)).isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT total_received FROM connections WHERE id = ?")
                .param(id)
                .query(Long.class)
                .single())
        .isEqualTo(10);
  }

  private static PostgresLedger ledger(DataSource dataSource, long connector) {
    return new PostgresLedger(
        dataSource,
        connector,
        16_384,
        1_000,
        Clock.systemUTC(),
        new LedgerMetrics(new SimpleMeterRegistry(), "USD", 9));
  }

  private static PacketOutcome apply(
      PostgresLedger ledger, byte[] connection, long account, long sequence, long amount)
      throws Exception {
    return TestPackets.pay(ledger, connection, account, sequence, amount);
  }

  /** {@code real}, running {@code beforeLock} when the locked path prepares its connection lock. */
  private static DataSource pruningBeforeLock(DataSource real, Callable<?> beforeLock) {
    return StatementHooks.wrap(
        real,
        sql -> {
          if (sql.contains("FOR UPDATE OF c")) {
            beforeLock.call();
          }
          return sql;
        });
  }

  private static long accountId(String name) {
    return inlet.bean(Accounts.class).findByName(name).orElseThrow().id();
  }

  private static byte[] connectionOf(String account) {
    return jdbc.sql("SELECT id FROM connections WHERE account_id = ?")
        .param(accountId(account))
        .query(byte[].class)
        .single();
  }

  private static void age(byte[] id, Duration by) {
    jdbc.sql(
            "UPDATE connections SET last_packet_at = now() - make_interval(secs => ?) WHERE id = ?")
        .params((double) by.toSeconds(), id)
        .update();
  }

  private static void awaitGone(byte[] id) {
    long deadline = System.nanoTime() + waitForPrune.toNanos();
    while (count("connections", id) > 0) {
      assertThat(System.nanoTime()).as("pruned within " + waitForPrune).isLessThan(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static long count(String table, byte[] connection) {
    String column = table.equals("connections") ? "id" : "connection_id";
    return jdbc.sql("SELECT count(*) FROM " + table + " WHERE " + column + " = ?")
        .param(connection)
        .query(Long.class)
        .single();
  }

  /** The connection's total and credited packets, and the ledger's transfers and entries. */
  private static String ledgerRows(byte[] connection) {
    return jdbc.sql(
            "SELECT (SELECT total_received || '/' || packets_fulfilled FROM connections WHERE id = ?)"
                + " || ' packets ' || (SELECT count(*) || '/' || sum(amount) FROM packets WHERE connection_id = ?)"
                + " || ' transfers ' || (SELECT count(*) FROM transfers)"
                + " || ' entries ' || (SELECT count(*) || '/' || sum(amount) FROM entries)")
        .params(connection, connection)
        .query(String.class)
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

  private static double pruned() {
    return inlet.bean(MeterRegistry.class).get("inlet.connections.pruned").counter().count();
  }
}
