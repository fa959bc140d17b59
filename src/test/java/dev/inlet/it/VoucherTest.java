package dev.inlet.it;

import static dev.inlet.it.MerchantClient.assertProblem;
import static dev.inlet.it.PayoutClient.amount;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.interledger.stream.SendMoneyResult;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Vouchers redeemed by an independent STREAM client: the JavaScript reference implementation
 * ({@link PullClients}, ilp-protocol-stream) opens the voucher's pointer as a receiving client and
 * takes what Inlet pushes through its uplink. Each case compares what the client got with the
 * voucher's and the account's numbers, and ends with the ledger check.
 */
class VoucherTest extends PullClientsPerClass {

  static JsonNode create(String account, long amount) {
    HttpResponse<String> r =
        inlet.adminPost(
            "/admin/vouchers",
            "{\"account\":\"" + account + "\",\"amount\":\"" + amount + "\",\"note\":\"gift\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestInlet.json.readTree(r.body());
  }

  static JsonNode read(String id) {
    HttpResponse<String> r = inlet.adminGet("/admin/vouchers/" + id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
  }

  static List<PullClients.Redemption> redeem(JsonNode voucher, long receiveMax, int n)
      throws Exception {
    return clients.redeem(
        List.of(inlet),
        "/vouchers/" + voucher.get("code").asString(),
        receiveMax,
        n,
        Duration.ofSeconds(20));
  }

  @Test
  void aJsClientRedeemsExactlyTheAmountAndASecondGetsNothing() throws Exception {
    fund("alice", 1_000_000);
    JsonNode voucher = create("alice", 300_000);

    assertThat(voucher.get("state").asString()).isEqualTo("active");
    assertThat(amount(voucher, "amount")).isEqualTo(300_000);
    assertThat(amount(voucher, "paid_out")).isZero();
    assertThat(amount(voucher, "remaining")).isEqualTo(300_000);
    String code = voucher.get("code").asString();
    assertThat(code).matches("[a-z2-7]{26}"); // 128 random bits
    assertThat(voucher.get("payment_pointer").asString())
        .isEqualTo("$localhost:" + inlet.port + "/vouchers/" + code);
    assertThat(inlet.balance("alice")).isEqualTo(700_000);

    JsonNode spsp = PayoutClient.spsp(inlet, inlet.url("/vouchers/" + code));
    assertThat(spsp.at("/pull/balance/available").asString()).isEqualTo("300000");
    assertThat(spsp.at("/pull/agreement/amount").asString()).isEqualTo("300000");
    assertThat(spsp.at("/balance/current").asString()).isEqualTo("0");
    assertThat(spsp.at("/balance/minimum").asString()).isEqualTo("-300000");
    assertThat(spsp.at("/asset_info/code").asString()).isEqualTo("USD");

    List<PullClients.Redemption> first = redeem(voucher, 1_000_000_000L, 1);
    assertThat(first.get(0).received()).as(first.toString()).isEqualTo(300_000);

    JsonNode after = awaitState(voucher.get("id").asString(), "redeemed");
    assertThat(amount(after, "paid_out")).isEqualTo(300_000);
    assertThat(amount(after, "remaining")).isZero();
    assertThat(inlet.balance("alice")).isEqualTo(700_000);

    List<PullClients.Redemption> second = redeem(voucher, 1_000_000_000L, 1);
    assertThat(second.get(0).received()).isZero();
    assertThat(second.get(0).error()).contains("410");
    assertProblem(inlet.send(get("/vouchers/" + code)), 410, "voucher-redeemed");
  }

  @Test
  void aClientLimitBelowTheVoucherLeavesTheRestForTheNext() throws Exception {
    fund("bea", 2_000);
    JsonNode voucher = create("bea", 500);

    assertThat(redeem(voucher, 200, 1).get(0).received()).isEqualTo(200);
    JsonNode partly = read(voucher.get("id").asString());
    assertThat(partly.get("state").asString()).isEqualTo("active");
    assertThat(amount(partly, "paid_out")).isEqualTo(200);
    assertThat(amount(partly, "remaining")).isEqualTo(300);

    assertThat(redeem(voucher, 10_000, 1).get(0).received()).isEqualTo(300);
    JsonNode done = awaitState(voucher.get("id").asString(), "redeemed");
    assertThat(amount(done, "paid_out")).isEqualTo(500);
    assertThat(inlet.balance("bea")).isEqualTo(1_500);
  }

  @Test
  void revokingReturnsWhatIsLeftAndThePointerIsGone() throws Exception {
    fund("cleo", 1_000);
    JsonNode voucher = create("cleo", 600);
    assertThat(inlet.balance("cleo")).isEqualTo(400);

    HttpResponse<String> r =
        inlet.adminPost("/admin/vouchers/" + voucher.get("id").asString() + "/revoke", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode revoked = TestInlet.json.readTree(r.body());
    assertThat(revoked.get("state").asString()).isEqualTo("revoked");
    assertThat(amount(revoked, "released")).isEqualTo(600);
    assertThat(amount(revoked, "remaining")).isZero();
    assertThat(inlet.balance("cleo")).isEqualTo(1_000);
    assertProblem(
        inlet.send(get("/vouchers/" + voucher.get("code").asString())), 410, "voucher-revoked");
    assertThat(redeem(voucher, 1_000, 1).get(0).received()).isZero();
  }

  @Test
  void anExpiredVoucherGivesItsMoneyBack() throws Exception {
    fund("dora", 1_000);
    String expires = Instant.now().plusSeconds(2).toString();
    HttpResponse<String> r =
        inlet.adminPost(
            "/admin/vouchers",
            "{\"account\":\"dora\",\"amount\":\"700\",\"expires_at\":\"" + expires + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode voucher = TestInlet.json.readTree(r.body());
    assertThat(inlet.balance("dora")).isEqualTo(300);

    JsonNode expired = awaitState(voucher.get("id").asString(), "expired");
    assertThat(amount(expired, "released")).isEqualTo(700);
    assertThat(inlet.balance("dora")).isEqualTo(1_000);
  }

  @Test
  void badInputIsAProblemAndReservesNothing() throws Exception {
    fund("erin", 1_000);
    assertProblem(
        inlet.adminPost("/admin/vouchers", "{\"account\":\"erin\",\"amount\":\"1001\"}"),
        409,
        "insufficient-balance");
    assertProblem(
        inlet.adminPost("/admin/vouchers", "{\"account\":\"erin\",\"amount\":\"0\"}"),
        400,
        "invalid-amount");
    assertProblem(
        inlet.adminPost(
            "/admin/vouchers", "{\"account\":\"erin\",\"amount\":\"18446744073709551616\"}"),
        400,
        "invalid-amount");
    assertProblem(
        inlet.adminPost("/admin/vouchers", "{\"account\":\"erin\",\"amount\":1}"),
        400,
        "invalid-amount");
    assertProblem(
        inlet.adminPost("/admin/vouchers", "{\"account\":\"nobody\",\"amount\":\"1\"}"),
        422,
        "unknown-account");
    assertProblem(
        inlet.adminPost(
            "/admin/mandates", "{\"account\":\"erin\",\"amount\":\"10\",\"interval\":\"1 month\"}"),
        400,
        "invalid-interval");
    assertThat(inlet.balance("erin")).isEqualTo(1_000);
    assertThat(PayoutClient.reserved(inlet, "erin")).isZero();

    // An unknown code and a malformed one: the same 404, no hint whether it ever existed.
    HttpResponse<String> unknown = inlet.send(get("/vouchers/abcdefghijklmnopqrstuvwxyz"));
    HttpResponse<String> malformed = inlet.send(get("/vouchers/x"));
    assertProblem(unknown, 404, "unknown-receiver");
    assertProblem(malformed, 404, "unknown-receiver");
  }

  @Test
  void aMerchantsVouchersAreItsOwnAndReportRedemptions() throws Exception {
    MerchantClient shop = MerchantClient.create(inlet, "shop", "shop-till");
    MerchantClient other = MerchantClient.create(inlet, "other", "other-till");
    SendMoneyResult paid =
        QuiltSender.pay(
            inlet,
            "$localhost:" + inlet.port + "/shop-till",
            5_000,
            1_000_000,
            Duration.ofSeconds(30));
    assertThat(paid.successfulPayment()).isTrue();

    String body = "{\"account\":\"shop-till\",\"amount\":\"1200\"}";
    HttpResponse<String> made = shop.post("/v1/vouchers", body, Map.of("Idempotency-Key", "k1"));
    JsonNode voucher = MerchantClient.ok(made);
    assertThat(made.statusCode()).isEqualTo(201);
    HttpResponse<String> again = shop.post("/v1/vouchers", body, Map.of("Idempotency-Key", "k1"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(MerchantClient.ok(again).get("id")).isEqualTo(voucher.get("id"));
    assertProblem(
        shop.post(
            "/v1/vouchers",
            "{\"account\":\"shop-till\",\"amount\":\"1\"}",
            Map.of("Idempotency-Key", "k1")),
        422,
        "idempotency-key-reused");
    assertThat(inlet.balance("shop-till")).isEqualTo(3_800);
    assertProblem(
        other.post("/v1/vouchers", "{\"account\":\"shop-till\",\"amount\":\"1\"}"),
        422,
        "unknown-account");
    String id = voucher.get("id").asString();
    assertProblem(other.get("/v1/vouchers/" + id), 404, "unknown-voucher");
    assertProblem(other.post("/v1/vouchers/" + id + "/revoke", ""), 404, "unknown-voucher");
    JsonNode list = MerchantClient.ok(shop.get("/v1/vouchers?state=active"));
    assertThat(list.get("items").get(0).get("id")).isEqualTo(voucher.get("id"));

    assertThat(redeem(voucher, 500, 1).get(0).received()).isEqualTo(500);
    assertThat(redeem(voucher, 5_000, 1).get(0).received()).isEqualTo(700);
    awaitState(id, "redeemed");

    List<String> types =
        JdbcClient.create(inlet.bean(DataSource.class))
            .sql(
                "SELECT type || ':' || (data->>'paid_out') FROM events e"
                    + " JOIN merchants m ON m.id = e.merchant_id"
                    + " WHERE m.name = 'shop' AND type LIKE 'voucher.%' ORDER BY e.id")
            .query(String.class)
            .list();
    assertThat(types).containsExactly("voucher.redeemed:500", "voucher.redeemed:1200");

    JsonNode mandate =
        MerchantClient.ok(
            shop.post(
                "/v1/mandates",
                "{\"account\":\"shop-till\",\"amount\":\"300\",\"interval\":\"P1D\"}"));
    assertProblem(
        other.get("/v1/mandates/" + mandate.get("id").asString()), 404, "unknown-mandate");
    assertThat(pull("/mandates/" + mandate.get("code").asString(), 1_000)).isEqualTo(300);
    // The pull ends (its event written) just after the client saw its stream end.
    List<String> pulls = List.of();
    for (int i = 0; i < 100 && pulls.isEmpty(); i++) {
      Thread.sleep(i == 0 ? 0 : 100);
      pulls =
          JdbcClient.create(inlet.bean(DataSource.class))
              .sql(
                  "SELECT type || ':' || (data->>'pulled_in_cycle') FROM events e"
                      + " JOIN merchants m ON m.id = e.merchant_id"
                      + " WHERE m.name = 'shop' AND type LIKE 'mandate.%' ORDER BY e.id")
              .query(String.class)
              .list();
    }
    assertThat(pulls).containsExactly("mandate.pulled:300");
  }

  @Test
  void aClientThatGivesNoAddressIsToldSoAndGetsNothing() throws Exception {
    fund("fay", 1_000);
    JsonNode voucher = create("fay", 500);
    String path = "vouchers/" + voucher.get("code").asString();

    TestSender silent = TestSender.open(inlet, path);
    TestSender.Reply told =
        silent.send(0, new ConnectionNewAddress(Optional.empty()), new StreamMaxMoney(1, 500, 0));
    ConnectionClose close = told.frame(ConnectionClose.class);
    assertThat(close.errorCode()).isEqualTo(StreamErrorCode.APPLICATION_ERROR);
    assertThat(close.message()).startsWith("no-address");

    TestSender unnamed = TestSender.open(inlet, path);
    assertThat(
            unnamed.send(0, new StreamMaxMoney(1, 500, 0)).frame(ConnectionClose.class).message())
        .startsWith("no-address");
    // Money offered on a connection that pays out is never taken.
    TestSender payer = TestSender.open(inlet, path);
    TestSender.Reply offered = payer.send(100, new StreamMoney(1, 1));
    assertThat(offered.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);

    JsonNode after = read(voucher.get("id").asString());
    assertThat(amount(after, "remaining")).isEqualTo(500);
    assertThat(amount(after, "paid_out")).isZero();
    assertThat(inlet.balance("fay")).isEqualTo(500);
  }

  @Test
  void theLedgerCheckFindsAVoucherThatDoesNotAddUp() throws Exception {
    fund("hal", 1_000);
    JsonNode voucher = create("hal", 400);
    JdbcClient db = JdbcClient.create(inlet.bean(DataSource.class));
    String id = voucher.get("id").asString();
    db.sql("UPDATE vouchers SET released = released + 1 WHERE public_id = ?").param(id).update();
    try {
      HttpResponse<String> check = inlet.adminGet("/admin/ledger/check");
      assertProblem(check, 409, "ledger-inconsistent");
      assertThat(TestInlet.json.readTree(check.body()).get("differences").toString())
          .contains("voucher " + id + ": amount 400 but paid out 0 + released 1");
    } finally {
      db.sql("UPDATE vouchers SET released = released - 1 WHERE public_id = ?").param(id).update();
    }
  }

  private static long pull(String path, long receiveMax) throws Exception {
    return clients
        .redeem(List.of(inlet), path, receiveMax, 1, Duration.ofSeconds(10))
        .get(0)
        .received();
  }

  private static JsonNode awaitState(String id, String state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode v = read(id);
    while (!v.get("state").asString().equals(state) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      v = read(id);
    }
    assertThat(v.get("state").asString()).as(v.toString()).isEqualTo(state);
    return v;
  }

  private static java.net.http.HttpRequest.Builder get(String path) {
    return java.net.http.HttpRequest.newBuilder(java.net.URI.create(inlet.url(path))).GET();
  }
}
