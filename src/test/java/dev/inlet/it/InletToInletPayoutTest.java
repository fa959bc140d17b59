package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Inlet paying out through its ILP-over-HTTP uplink to another Inlet, a real STREAM receiver: the
 * payer's account is funded over its own {@code /ilp}, then pays out part of it to the other's
 * account; both ledgers agree on every unit.
 */
class InletToInletPayoutTest {
  @TempDir static Path payerDir;
  @TempDir static Path payeeDir;
  static TestInlet payee;
  static TestInlet payer;

  @BeforeAll
  static void start() throws Exception {
    payee = TestInlet.start(payeeDir);
    payer =
        TestInlet.start(
            payerDir,
            Map.of(
                "inlet.ilp-address", "test.payer",
                "inlet.uplink.url", payee.ilpUrl(),
                "inlet.uplink.token", TestInlet.connectorToken,
                "inlet.spsp.allow-http", "true",
                "inlet.spsp.allow-private", "true",
                "inlet.payout.idle-timeout", "10s"));
    payer.createAccount("shop", null);
    payee.createAccount("supplier", null);
    payee.createAccount("capped", "700");
    QuiltSender.pay(
        payer, "$localhost:" + payer.port + "/shop", 10_000, 1_000, Duration.ofSeconds(30));
    assertThat(payer.balance("shop")).isEqualTo(10_000);
  }

  @AfterAll
  static void stop() {
    payer.close();
    payee.close();
  }

  @Test
  void aPayoutReachesTheOtherInletExactly() throws Exception {
    long before = payer.balance("shop");
    JsonNode created = payout("shop", "http://localhost:" + payee.port + "/supplier", "2500");
    assertThat(created.get("state").asString()).isEqualTo("sending");
    JsonNode done = awaitEnd(created.get("id").asString());
    assertThat(done.get("state").asString()).isEqualTo("completed");
    assertThat(done.get("sent").asString()).isEqualTo("2500");
    assertThat(done.get("delivered").asString()).isEqualTo("2500");
    assertThat(done.get("error").isNull()).isTrue();
    assertThat(payee.balance("supplier")).isEqualTo(2500);
    assertThat(payer.balance("shop")).isEqualTo(before - 2500);
    assertChecksPass();
  }

  @Test
  void aReceiverLimitStopsThePayoutAndReleasesTheRest() throws Exception {
    long before = payer.balance("shop");
    JsonNode done =
        awaitEnd(
            payout("shop", "http://localhost:" + payee.port + "/capped", "1000")
                .get("id")
                .asString());
    assertThat(done.get("state").asString()).isEqualTo("failed");
    assertThat(done.get("error").asString()).startsWith("receiver-limit");
    assertThat(done.get("sent").asString()).isEqualTo("700");
    assertThat(payee.balance("capped")).isEqualTo(700);
    assertThat(payer.balance("shop")).isEqualTo(before - 700);
    assertChecksPass();
  }

  @Test
  void moreThanTheAvailableBalanceIsRefusedWithNothingReserved() {
    HttpResponse<String> r =
        payer.adminPost(
            "/admin/payouts",
            "{\"account\":\"shop\",\"receiver\":\"http://localhost:"
                + payee.port
                + "/supplier\",\"amount\":\"99999999\"}");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).contains("insufficient-balance");
    assertChecksPass();
  }

  @Test
  void anUnknownReceiverFailsThePayoutAndReleasesItsReservation() throws Exception {
    long before = payer.balance("shop");
    JsonNode done =
        awaitEnd(
            payout("shop", "http://localhost:" + payee.port + "/nobody", "100")
                .get("id")
                .asString());
    assertThat(done.get("state").asString()).isEqualTo("failed");
    assertThat(done.get("error").asString()).startsWith("receiver-unknown");
    assertThat(done.get("sent").asString()).isEqualTo("0");
    assertThat(payer.balance("shop")).isEqualTo(before);
    assertChecksPass();
  }

  private static JsonNode payout(String account, String receiver, String amount) {
    HttpResponse<String> r =
        payer.adminPost(
            "/admin/payouts",
            "{\"account\":\""
                + account
                + "\",\"receiver\":\""
                + receiver
                + "\",\"amount\":\""
                + amount
                + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return TestInlet.json.readTree(r.body());
  }

  private static JsonNode awaitEnd(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpResponse<String> r = payer.adminGet("/admin/payouts/" + id);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode p = TestInlet.json.readTree(r.body());
      if (!p.get("state").asString().equals("sending") || System.nanoTime() > deadline) {
        return p;
      }
      Thread.sleep(50);
    }
  }

  private static void assertChecksPass() {
    for (TestInlet inlet : new TestInlet[] {payer, payee}) {
      HttpResponse<String> check = inlet.adminGet("/admin/ledger/check");
      assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
    }
  }
}
