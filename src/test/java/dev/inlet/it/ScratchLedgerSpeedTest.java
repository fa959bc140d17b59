package dev.inlet.it;

import dev.inlet.ledger.Accounts;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.postgres.PostgresLedger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchLedgerSpeedTest {
  @TempDir Path dataDir;

  @Test
  void speed() throws Exception {
    try (TestInlet inlet = TestInlet.start(dataDir)) {
      inlet.createAccount("s", null);
      long id = inlet.bean(Accounts.class).findByName("s").orElseThrow().id();
      PostgresLedger ledger = inlet.bean(PostgresLedger.class);
      for (int round = 0; round < 4; round++) {
        int n = 60_000;
        Semaphore window = new Semaphore(512);
        long t0 = System.nanoTime();
        long c0 = ledger.commits();
        CompletableFuture<?>[] all = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
          byte[] conn = new byte[12];
          conn[0] = (byte) (i % 64); conn[1] = (byte) round;
          window.acquire();
          all[i] = ledger.apply(new PacketRecord(conn, id, null, i / 64 + 1, 5, Instant.now().plusSeconds(60), true, false,
              List.of(new StreamCredit(1, 5, false)), List.of())).whenComplete((o, e) -> window.release());
        }
        CompletableFuture.allOf(all).get();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SPEED round %d: %.0f packets/s, commits %d%n", round, n / s, ledger.commits() - c0);
      }
    }
  }
}
