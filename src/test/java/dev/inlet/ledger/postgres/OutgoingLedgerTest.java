package dev.inlet.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ledger.LedgerCheck;
import dev.inlet.ledger.postgres.OutgoingLedger.Answer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rules of money that leaves (db/V4), on a real PostgreSQL: a reservation never takes more than
 * the available balance, even when two race for it; fulfilled packets post exactly their amounts
 * (the account debited, the connector's outgoing account credited), rejected ones stay reserved
 * until the end releases them, in-doubt ones stay reserved after it; a packet is answered once; and
 * after every step the ledger check passes and amount = posted + released + remaining.
 */
class OutgoingLedgerTest {
  static EmbeddedPostgres pg;
  static DataSource db;
  static JdbcClient jdbc;
  static PostgresAccounts accounts;
  static long out;
  static OutgoingLedger ledger;
  static Reservations reservations;
  long account;

  @BeforeAll
  static void database() throws Exception {
    pg = MigratedPostgres.start();
    db = pg.getPostgresDatabase();
    jdbc = JdbcClient.create(db);
    accounts = new PostgresAccounts(db);
    accounts.ensureConnectorAccount("USD", 2);
    out = accounts.ensureConnectorOutAccount("USD", 2);
    ledger = new OutgoingLedger(db, out);
    reservations = new Reservations(jdbc);
  }

  @AfterAll
  static void stop() throws Exception {
    ledger.close();
    pg.close();
  }

  /**
   * A fresh account holding 1000, credited as the receiving ledger would: transfer, entries,
   * packet.
   */
  @BeforeEach
  void fundedAccount() {
    String name = "payer-" + System.nanoTime();
    account = accounts.create(name, "USD", 2, null, null).orElseThrow().id();
    long connector = accounts.ensureConnectorAccount("USD", 2);
    byte[] connection = new byte[12];
    new java.security.SecureRandom().nextBytes(connection);
    jdbc.sql("INSERT INTO connections (id, account_id, total_received) VALUES (?, ?, 1000)")
        .params(connection, account)
        .update();
    long transfer =
        jdbc.sql("INSERT INTO transfers (amount, packets) VALUES (1000, 1) RETURNING id")
            .query(Long.class)
            .single();
    jdbc.sql(
            "INSERT INTO packets (connection_id, sequence, amount, transfer_id) VALUES (?, 1, 1000, ?)")
        .params(connection, transfer)
        .update();
    jdbc.sql(
            "INSERT INTO entries (transfer_id, account_id, amount) VALUES (?, ?, 1000), (?, ?, -1000)")
        .params(transfer, account, transfer, connector)
        .update();
    jdbc.sql(
            "UPDATE accounts SET balance = balance + 1000, received = received + 1000 WHERE id = ?")
        .param(account)
        .update();
    jdbc.sql("UPDATE accounts SET balance = balance - 1000 WHERE id = ?").param(connector).update();
  }

  @Test
  void fulfilledPacketsPostRejectedOnesAreReleasedAtTheEnd() {
    BigDecimal outBefore = balance(out);
    long r = reservations.reserve(account, 600, "payout").orElseThrow();
    assertMoney(1000, 600);
    Instant expiry = Instant.now().plusSeconds(30);
    CompletableFuture.allOf(
            ledger.prepared(r, 1, 200, 190, expiry),
            ledger.prepared(r, 2, 150, 140, expiry),
            ledger.prepared(r, 3, 100, 95, expiry))
        .join();
    CompletableFuture.allOf(
            ledger.answered(r, 1, Answer.FULFILLED, 195),
            ledger.answered(r, 2, Answer.REJECTED, 0),
            ledger.answered(r, 3, Answer.FULFILLED, 99))
        .join();
    // 300 left; 300 still reserved (the rejected 150 and the 150 never sent).
    assertMoney(700, 300);
    assertReservation(r, "pending", 300, 300, 0);
    assertThat(balance(out).subtract(outBefore)).isEqualByComparingTo("300");

    Reservations.Ended ended = reservations.end(r).orElseThrow();
    assertThat(ended).isEqualTo(new Reservations.Ended(account, 300, 300, 0, "posted"));
    assertMoney(700, 0);
    assertReservation(r, "posted", 0, 300, 300);
    assertThat(reservations.end(r)).isEmpty();
    assertConsistent();
  }

  @Test
  void inDoubtMoneyStaysReservedUntilResolved() {
    long r = reservations.reserve(account, 500, "payout").orElseThrow();
    Instant expiry = Instant.now().plusSeconds(30);
    ledger.prepared(r, 1, 300, 300, expiry).join();
    ledger.prepared(r, 2, 200, 200, expiry).join();
    ledger.answered(r, 1, Answer.IN_DOUBT, 0).join();
    reservations.abandon(r); // packet 2 never answered: its sender died
    Reservations.Ended ended = reservations.end(r).orElseThrow();
    assertThat(ended.held()).isEqualTo(500);
    assertThat(ended.state()).isEqualTo("pending");
    assertMoney(1000, 500);

    // An operator learns packet 1 was fulfilled and packet 2 not.
    ledger.answered(r, 1, Answer.FULFILLED, 300).join();
    ledger.answered(r, 2, Answer.REJECTED, 0).join();
    assertThat(reservations.end(r).orElseThrow())
        .isEqualTo(new Reservations.Ended(account, 300, 200, 0, "posted"));
    assertMoney(700, 0);
    assertConsistent();
  }

  @Test
  void aPacketIsAnsweredOnce() {
    long r = reservations.reserve(account, 100, "payout").orElseThrow();
    ledger.prepared(r, 1, 100, 100, Instant.now().plusSeconds(30)).join();
    ledger.answered(r, 1, Answer.FULFILLED, 100).join();
    assertThatThrownBy(() -> ledger.answered(r, 1, Answer.FULFILLED, 100).join())
        .isInstanceOf(CompletionException.class);
    assertThatThrownBy(() -> ledger.prepared(r, 1, 100, 100, Instant.now()).join())
        .isInstanceOf(CompletionException.class);
    assertMoney(900, 0);
    assertConsistent();
  }

  @Test
  void nothingIsReservedBeyondTheAvailableBalanceEvenInARace() throws Exception {
    assertThat(reservations.reserve(account, 1001, "payout")).isEmpty();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Optional<Long>>> tries =
          List.of(
              pool.submit(() -> reservations.reserve(account, 600, "payout")),
              pool.submit(() -> reservations.reserve(account, 600, "payout")),
              pool.submit(() -> reservations.reserve(account, 600, "refund")),
              pool.submit(() -> reservations.reserve(account, 600, "payout")));
      long made = 0;
      for (Future<Optional<Long>> t : tries) {
        made += t.get().isPresent() ? 1 : 0;
      }
      assertThat(made).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertMoney(1000, 600);
    // The database refuses it too, whoever writes.
    assertThatThrownBy(
            () ->
                jdbc.sql("UPDATE accounts SET reserved = 1001 WHERE id = ?")
                    .param(account)
                    .update())
        .hasMessageContaining("accounts_available");
    assertConsistent();
  }

  private void assertMoney(long balance, long reserved) {
    assertThat(balance(account)).isEqualByComparingTo(Long.toString(balance));
    assertThat(
            jdbc.sql("SELECT reserved FROM accounts WHERE id = ?")
                .param(account)
                .query(BigDecimal.class)
                .single())
        .isEqualByComparingTo(Long.toString(reserved));
  }

  private static BigDecimal balance(long id) {
    return jdbc.sql("SELECT balance FROM accounts WHERE id = ?")
        .param(id)
        .query(BigDecimal.class)
        .single();
  }

  private static void assertReservation(
      long id, String state, long remaining, long posted, long released) {
    assertThat(
            jdbc.sql("SELECT state, remaining, posted, released FROM transfers WHERE id = ?")
                .param(id)
                .query(
                    (rs, n) ->
                        List.of(
                            rs.getString(1),
                            rs.getBigDecimal(2).longValueExact(),
                            rs.getBigDecimal(3).longValueExact(),
                            rs.getBigDecimal(4).longValueExact()))
                .single())
        .isEqualTo(List.of(state, remaining, posted, released));
  }

  private static void assertConsistent() {
    LedgerCheck check = accounts.check();
    assertThat(check.differences()).isEmpty();
  }
}
