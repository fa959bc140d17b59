package dev.inlet.it;

import static dev.inlet.it.PayoutClient.amount;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A graceful stop in the middle of a payout (here a voucher's redemption over a narrow, slow path):
 * Inlet sends no further Prepare, waits for the answers of those in flight and ends the payout with
 * what it sent, so after a restart nothing is in doubt or still reserved and what the client got is
 * exactly what the voucher paid out.
 */
class PayoutShutdownTest {
  @TempDir static Path dataDir;
  static PullClients clients;

  @BeforeAll
  static void start() throws Exception {
    clients = PullClients.start();
  }

  @AfterAll
  static void stop() {
    clients.close();
  }

  @Test
  void aStopMidPayoutEndsItWithWhatItSentAndNothingInDoubt() throws Exception {
    TestInlet inlet = TestInlet.start(dataDir, clients.uplinkSettings());
    JsonNode voucher;
    long got;
    try {
      PayoutClient.fund(inlet, "store", 100_000);
      voucher =
          TestInlet.json.readTree(
              inlet
                  .adminPost("/admin/vouchers", "{\"account\":\"store\",\"amount\":\"50000\"}")
                  .body());
      clients.path(10, Duration.ofMillis(20));
      TestInlet running = inlet;
      CompletableFuture<Long> redeemed =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return clients
                      .redeem(
                          List.of(running),
                          "/vouchers/" + voucher.get("code").asString(),
                          50_000,
                          1,
                          Duration.ofSeconds(40))
                      .get(0)
                      .received();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(3_000);
      inlet.close(); // a graceful stop, as on SIGTERM
      inlet = null;
      got = redeemed.get(60, TimeUnit.SECONDS);
    } finally {
      clients.path(0, Duration.ZERO);
      if (inlet != null) {
        inlet.close();
      }
    }
    assertThat(got).isPositive().isLessThan(50_000);

    TestInlet again = TestInlet.start(dataDir, clients.uplinkSettings());
    try {
      JsonNode after =
          TestInlet.json.readTree(
              again.adminGet("/admin/vouchers/" + voucher.get("id").asString()).body());
      assertThat(amount(after, "paid_out")).as(after.toString()).isEqualTo(got);
      assertThat(amount(after, "remaining")).isEqualTo(50_000 - got);
      assertThat(
              TestInlet.json
                  .readTree(again.adminGet("/admin/payouts/in-doubt").body())
                  .get("items"))
          .isEmpty();
      PayoutClient.assertLedgerConsistent(again);
    } finally {
      again.close();
    }
  }
}
