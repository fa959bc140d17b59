package dev.inlet.it;

import static dev.inlet.it.PayoutClient.amount;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Sixteen JavaScript STREAM clients ({@link PullClients}) redeem one voucher at once through two
 * replicas on one database: redemptions take turns under the voucher's lock, so what they got in
 * all is exactly the voucher's amount, never a unit more, and the ledger balances.
 */
class VoucherRaceTest {
  @TempDir static Path dir;
  static PullClients clients;
  static TwoReplicas replicas;

  @BeforeAll
  static void start() throws Exception {
    clients = PullClients.start();
    replicas = TwoReplicas.start(dir, clients.uplinkSettings());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (replicas != null) {
        replicas.close();
      }
    } finally {
      if (clients != null) {
        clients.close();
      }
    }
  }

  @Test
  void sixteenClientsThroughTwoReplicasGetExactlyTheVoucherAmountInAll() throws Exception {
    TestInlet first = replicas.first;
    PayoutClient.fund(first, "pool", 5_000);
    HttpResponse<String> made =
        first.adminPost("/admin/vouchers", "{\"account\":\"pool\",\"amount\":\"1000\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonNode voucher = TestInlet.json.readTree(made.body());

    // Each client takes at most 150: several redemptions, one after the other, across replicas.
    List<PullClients.Redemption> results =
        clients.redeem(
            List.of(replicas.first, replicas.second),
            "/vouchers/" + voucher.get("code").asString(),
            150,
            16,
            Duration.ofSeconds(60));

    long total = results.stream().mapToLong(PullClients.Redemption::received).sum();
    assertThat(total).as(results.toString()).isEqualTo(1_000);
    assertThat(results.stream().filter(r -> r.received() > 0).count()).isGreaterThanOrEqualTo(7);
    assertThat(results).allMatch(r -> r.received() <= 150);

    JsonNode after =
        TestInlet.json.readTree(
            replicas.second.adminGet("/admin/vouchers/" + voucher.get("id").asString()).body());
    assertThat(after.get("state").asString()).as(after.toString()).isEqualTo("redeemed");
    assertThat(amount(after, "paid_out")).isEqualTo(1_000);
    assertThat(first.balance("pool")).isEqualTo(4_000);
    PayoutClient.assertLedgerConsistent(replicas.second);
  }
}
