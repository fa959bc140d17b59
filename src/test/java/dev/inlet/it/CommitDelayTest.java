package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ledger.Accounts;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.TestPackets;
import dev.inlet.ledger.postgres.LedgerMetrics;
import dev.inlet.ledger.postgres.PostgresAccounts;
import dev.inlet.ledger.postgres.PostgresLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * With the group-commit wait on ({@code inlet.ledger.commit-delay}), a packet is still answered
 * only once its credit is durable: when its outcome completes, its row is already committed (read
 * on another connection from the completing thread itself, before the writer can go on), and
 * packets trickling in share commits.
 */
class CommitDelayTest extends InletPerClass {
  private static final SecureRandom random = new SecureRandom();

  @Test
  void aFulfilledPacketIsCommittedBeforeItsOutcomeCompletes() throws Exception {
    inlet.createAccount("delayed", null);
    long account = inlet.bean(Accounts.class).findByName("delayed").orElseThrow().id();
    DataSource dataSource = inlet.bean(DataSource.class);
    long connector = inlet.bean(PostgresAccounts.class).ensureConnectorAccount("USD", 2);
    JdbcClient reader = JdbcClient.create(dataSource);
    PostgresLedger ledger =
        new PostgresLedger(
            dataSource,
            connector,
            16_384,
            1_000,
            Clock.systemUTC(),
            new LedgerMetrics(new SimpleMeterRegistry(), "USD", 2),
            dev.inlet.ledger.ConnectionLimits.none,
            Duration.ofMillis(20));
    try {
      byte[][] connections = new byte[8][12];
      for (byte[] c : connections) {
        random.nextBytes(c);
      }
      Queue<String> notYetCommitted = new ConcurrentLinkedQueue<>();
      List<CompletableFuture<PacketOutcome>> outcomes = new ArrayList<>();
      long commitsBefore = ledger.commits();
      int packets = 400;
      for (int i = 0; i < packets; i++) {
        byte[] connection = connections[i % connections.length];
        long sequence = i / connections.length + 1;
        CompletableFuture<PacketOutcome> outcome =
            ledger.apply(TestPackets.paying(connection, account, sequence, 3));
        // Runs on the writer's thread when it completes the outcome (or here, if it already has).
        outcome.thenAccept(
            o -> {
              long rows =
                  reader
                      .sql("SELECT count(*) FROM packets WHERE connection_id = ? AND sequence = ?")
                      .param(connection)
                      .param(sequence)
                      .query(Long.class)
                      .single();
              if (o.outcome() == Outcome.FULFILLED && rows != 1) {
                notYetCommitted.add(sequence + "");
              }
            });
        outcomes.add(outcome);
        if (i % 4 == 3) {
          Thread.sleep(1); // a trickle: four packets a millisecond at most
        }
      }
      CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(outcomes)
          .allSatisfy(f -> assertThat(f.get().outcome()).isEqualTo(Outcome.FULFILLED));
      assertThat(notYetCommitted).as("fulfilled before their commit").isEmpty();
      assertThat(inlet.balance("delayed")).isEqualTo(3L * packets);
      assertThat(ledger.commits() - commitsBefore)
          .as("commits for %d packets sent over about 100 ms or more", packets)
          .isLessThan(packets / 20);
      assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
    } finally {
      ledger.close();
    }
  }
}
