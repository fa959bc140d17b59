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
    // The receiver's receipt (RFC 0039), asked for with a secret of the payer's and checked by it:
    // version 1, nonce, stream 1, and the stream's total, 2500.
    byte[] receipt = java.util.Base64.getDecoder().decode(done.get("receipt").asString());
    assertThat(receipt).hasSize(58);
    assertThat(receipt[17]).isEqualTo((byte) 1);
    assertThat(java.nio.ByteBuffer.wrap(receipt, 18, 8).getLong()).isEqualTo(2500);
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
    assertThat(reserved()).as("the 300 not sent is released").isZero();
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
    assertThat(reserved()).isZero();
    assertChecksPass();
  }

  @Test
  void aMerchantPaysOutOverItsApiAndLearnsOfItByAnEvent() throws Exception {
    MerchantClient acme = MerchantClient.create(payer, "acme", "acme-till");
    MerchantClient other = MerchantClient.create(payer, "other");
    QuiltSender.pay(
        payer, "$localhost:" + payer.port + "/acme-till", 3_000, 1_000, Duration.ofSeconds(30));
    String body =
        "{\"account\":\"acme-till\",\"receiver\":\"http://localhost:"
            + payee.port
            + "/supplier\",\"amount\":\"1200\"}";
    HttpResponse<String> created = acme.post("/v1/payouts", body, Map.of("Idempotency-Key", "k1"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String id = TestInlet.json.readTree(created.body()).get("id").asString();
    // The same key and body: the same payout, not a second one.
    HttpResponse<String> again = acme.post("/v1/payouts", body, Map.of("Idempotency-Key", "k1"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(TestInlet.json.readTree(again.body()).get("id").asString()).isEqualTo(id);
    MerchantClient.assertProblem(
        acme.post("/v1/payouts", body.replace("1200", "1300"), Map.of("Idempotency-Key", "k1")),
        422,
        "idempotency-key-reused");
    // Another merchant's account and payout do not exist for it.
    MerchantClient.assertProblem(other.post("/v1/payouts", body), 422, "unknown-account");
    MerchantClient.assertProblem(other.get("/v1/payouts/" + id), 404, "unknown-payout");

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode payout;
    do {
      Thread.sleep(50);
      payout = MerchantClient.ok(acme.get("/v1/payouts/" + id));
    } while (payout.get("state").asString().equals("sending") && System.nanoTime() < deadline);
    assertThat(payout.get("state").asString()).isEqualTo("completed");
    JsonNode events = MerchantClient.ok(acme.get("/v1/events"));
    JsonNode last = events.get("items").get(events.get("items").size() - 1);
    assertThat(last.get("type").asString()).isEqualTo("payout.completed");
    assertThat(last.get("data").get("id").asString()).isEqualTo(id);
    assertThat(last.get("data").get("sent").asString()).isEqualTo("1200");
    assertChecksPass();
  }

  @Test
  void badPayoutRequestsAreRefusedWithNothingReserved() {
    long reservedBefore = reserved();
    String receiver = "http://localhost:" + payee.port + "/supplier";
    for (String body :
        new String[] {
          "{\"account\":\"shop\",\"receiver\":\"" + receiver + "\",\"amount\":\"0\"}",
          "{\"account\":\"shop\",\"receiver\":\"" + receiver + "\",\"amount\":\"-1\"}",
          "{\"account\":\"shop\",\"receiver\":\"" + receiver + "\",\"amount\":\"1.5\"}",
          "{\"account\":\"shop\",\"receiver\":\""
              + receiver
              + "\",\"amount\":\"18446744073709551616\"}",
          "{\"account\":\"shop\",\"receiver\":\"ftp://x\",\"amount\":\"1\"}",
          "{\"account\":\"shop\",\"receiver\":\"" + receiver + "\",\"amount\":\"1\",\"x\":1}",
          "{\"account\":\"shop\"",
        }) {
      HttpResponse<String> r = payer.adminPost("/admin/payouts", body);
      assertThat(r.statusCode()).as(body + " → " + r.body()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    assertThat(
            payer
                .adminPost(
                    "/admin/payouts",
                    "{\"account\":\"nobody\",\"receiver\":\"$x.example\",\"amount\":\"1\"}")
                .statusCode())
        .isEqualTo(422);
    assertThat(reserved()).isEqualTo(reservedBefore);
  }

  private static long reserved() {
    return Long.parseLong(
        TestInlet.json
            .readTree(payer.adminGet("/admin/accounts/shop").body())
            .get("reserved")
            .asString());
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
