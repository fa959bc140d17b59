package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ledger.Accounts;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.postgres.PostgresLedger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packets that arrive together are committed together: one transaction (one WAL flush) for many
 * packets.
 */
class GroupCommitTest {
  @TempDir Path dataDir;

  @Test
  void concurrentPacketsShareCommitsAndAreEachCreditedOnce() throws Exception {
    try (TestInlet inlet = TestInlet.start(dataDir)) {
      inlet.createAccount("grace", null);
      long accountId = inlet.bean(Accounts.class).findByName("grace").orElseThrow().id();
      PostgresLedger ledger = inlet.bean(PostgresLedger.class);
      byte[] connection = new byte[12];
      new SecureRandom().nextBytes(connection);
      long commitsBefore = ledger.commits();
      int packets = 2_000;
      List<CompletableFuture<PacketOutcome>> outcomes = new ArrayList<>();
      for (int sequence = 1; sequence <= packets; sequence++) {
        outcomes.add(ledger.apply(credit(connection, accountId, sequence)));
      }
      // A retry of packet 1 in the same burst: fulfilled again, credited once.
      outcomes.add(ledger.apply(credit(connection, accountId, 1)));
      CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      assertThat(outcomes.subList(0, packets))
          .allSatisfy(f -> assertThat(f.get().outcome()).isEqualTo(Outcome.FULFILLED));
      assertThat(outcomes.get(packets).get().outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(inlet.balance("grace")).isEqualTo(7L * packets);
      long commits = ledger.commits() - commitsBefore;
      assertThat(commits)
          .as("transactions for %d packets", packets + 1)
          .isLessThanOrEqualTo(packets / 10);
      assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
    }
  }

  /** A fulfillable packet of 7 units on stream 1. */
  private static PacketRecord credit(byte[] connection, long accountId, long sequence) {
    return new PacketRecord(
        connection,
        accountId,
        0L,
        null,
        sequence,
        7,
        Instant.now().plusSeconds(30),
        true,
        false,
        List.of(new StreamCredit(1, 7, false)),
        List.of());
  }
}
