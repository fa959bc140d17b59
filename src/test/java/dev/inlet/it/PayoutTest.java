package dev.inlet.it;

import static dev.inlet.it.PayoutClient.amount;
import static dev.inlet.it.PayoutClient.assertFailed;
import static dev.inlet.it.PayoutClient.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.interledger.core.InterledgerErrorCode;
import org.interledger.stream.SendMoneyResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Payouts through the ILP-over-HTTP uplink ({@code inlet.uplink.url}) to {@link QuiltParent}: its
 * Quilt STREAM receiver, resolved over SPSP, or (for a receiver with a limit) an account of the
 * same Inlet reached back through the parent's route to {@code /ilp}. Each account is funded first
 * by Quilt's STREAM sender over {@code /ilp}; each case compares what Inlet says it sent and
 * delivered with what the receiver got and with the account's balance, and ends with the ledger
 * check.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayoutTest {
  static final String parentToken = "parent-token-at-least-32-characters-long";

  @TempDir static Path dataDir;
  static QuiltParent parent;
  static TestInlet inlet;

  @BeforeAll
  static void start() throws Exception {
    parent = new QuiltParent(parentToken);
    inlet =
        TestInlet.start(
            dataDir,
            Map.of(
                "inlet.uplink.url", parent.ilpUrl(),
                "inlet.uplink.token", parentToken,
                "inlet.spsp.allow-http", "true",
                "inlet.spsp.allow-private", "true",
                "inlet.payout.idle-timeout", "10s"));
    parent.route(TestInlet.ilpAddress + ".", inlet.ilpUrl(), TestInlet.connectorToken);
  }

  @AfterAll
  static void stop() {
    try {
      if (inlet != null) {
        inlet.close();
      }
    } finally {
      if (parent != null) {
        parent.close();
      }
    }
  }

  @AfterEach
  void ledgerStillBalances() {
    parent.maxPacketAmount = 0;
    parent.rejectEverything = null;
    parent.spspWithoutSecret = false;
    parent.spspAssetCode = null;
    parent.loseMoneyAnswers = null;
    PayoutClient.assertLedgerConsistent(inlet);
  }

  static void fund(String name, long amount) throws Exception {
    PayoutClient.fund(inlet, name, amount);
  }

  @Test
  void aPayoutCompletesAndWhatArrivedIsWhatTheAccountPaid() throws Exception {
    fund("alice", 5_000_000);

    JsonNode started = PayoutClient.start(inlet, "alice", parent.spspUrl("bob"), 2_000_000);
    JsonNode payout = PayoutClient.awaitEnd(inlet, started.get("id").asString());

    assertThat(payout.get("state").asString()).as(payout.toString()).isEqualTo("completed");
    assertThat(payout.get("error").isNull()).as(payout.toString()).isTrue();
    assertThat(amount(payout, "sent")).isEqualTo(2_000_000);
    assertThat(amount(payout, "delivered")).isEqualTo(2_000_000);
    assertThat(payout.get("asset_code").asString()).isEqualTo("USD");
    assertThat(payout.get("asset_scale").asInt()).isEqualTo(9);
    assertThat(payout.get("receiver").asString()).isEqualTo(parent.spspUrl("bob"));
    String destination = payout.get("destination").asString();
    assertThat(destination).startsWith(QuiltParent.address + ".");
    assertThat(parent.received(destination)).isEqualTo(amount(payout, "delivered"));
    assertThat(inlet.balance("alice")).isEqualTo(5_000_000 - amount(payout, "sent"));
    assertThat(reserved(inlet, "alice")).isZero();
  }

  @Test
  void aReceiverLimitBelowThePayoutStopsItThereAndReleasesTheRest() throws Exception {
    fund("carl", 3_000_000);
    inlet.createAccount("capped", "600000");

    JsonNode payout = PayoutClient.pay(inlet, "carl", inlet.url("/capped"), 1_000_000);

    assertFailed(payout, "receiver-limit");
    long sent = amount(payout, "sent");
    assertThat(sent).isPositive().isLessThanOrEqualTo(600_000);
    assertThat(amount(payout, "delivered")).isEqualTo(sent);
    assertThat(inlet.balance("capped")).isEqualTo(sent);
    assertThat(payout.get("destination").asString()).startsWith(TestInlet.ilpAddress + ".capped.");
    assertThat(inlet.balance("carl")).isEqualTo(3_000_000 - sent);
    assertThat(reserved(inlet, "carl")).isZero();
  }

  @Test
  void aSmallMaximumPacketAmountOnThePathSplitsThePayoutIntoManyPackets() throws Exception {
    fund("dora", 2_000_000);
    parent.maxPacketAmount = 20_000;
    int before = parent.fulfilledPackets();

    JsonNode payout = PayoutClient.pay(inlet, "dora", parent.spspUrl("dora-out"), 1_000_000);

    assertThat(payout.get("state").asString()).as(payout.toString()).isEqualTo("completed");
    assertThat(amount(payout, "sent")).isEqualTo(1_000_000);
    assertThat(parent.received(payout.get("destination").asString())).isEqualTo(1_000_000);
    assertThat(parent.fulfilledPackets() - before).isGreaterThanOrEqualTo(50);
    assertThat(parent.tooLarge()).isPositive();
    assertThat(inlet.balance("dora")).isEqualTo(1_000_000);
    assertThat(reserved(inlet, "dora")).isZero();
  }

  @Test
  void aParentThatRejectsEverythingFailsThePayoutAndTheReservationComesBack() throws Exception {
    fund("erin", 1_000_000);
    parent.rejectEverything = InterledgerErrorCode.F02_UNREACHABLE;

    JsonNode payout = PayoutClient.pay(inlet, "erin", parent.spspUrl("erin-out"), 500_000);

    assertFailed(payout, "rejected");
    assertThat(payout.get("error").asString()).contains("F02");
    assertThat(amount(payout, "sent")).isZero();
    assertThat(amount(payout, "delivered")).isZero();
    assertThat(inlet.balance("erin")).isEqualTo(1_000_000);
    assertThat(reserved(inlet, "erin")).isZero();
  }

  @Test
  void aPayoutLargerThanTheAvailableBalanceIsRefusedWithNothingReserved() throws Exception {
    fund("fred", 100_000);

    HttpResponse<String> r =
        PayoutClient.create(inlet, "fred", parent.spspUrl("x"), "100001", null);

    MerchantClient.assertProblem(r, 409, "insufficient-balance");
    assertThat(reserved(inlet, "fred")).isZero();
    assertThat(inlet.balance("fred")).isEqualTo(100_000);
    MerchantClient.assertProblem(
        PayoutClient.create(inlet, "nobody-here", parent.spspUrl("x"), "1", null),
        422,
        "unknown-account");
  }

  @Test
  void aRetryWithTheSameKeyReplaysThePayoutAndPaysOnce() throws Exception {
    fund("gina", 1_000_000);
    String receiver = parent.spspUrl("gina-out");

    HttpResponse<String> first = PayoutClient.create(inlet, "gina", receiver, "300000", "key-1");
    HttpResponse<String> again = PayoutClient.create(inlet, "gina", receiver, "300000", "key-1");
    HttpResponse<String> other = PayoutClient.create(inlet, "gina", receiver, "300001", "key-1");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    String id = TestInlet.json.readTree(first.body()).get("id").asString();
    assertThat(TestInlet.json.readTree(again.body()).get("id").asString()).isEqualTo(id);
    MerchantClient.assertProblem(other, 422, "idempotency-key-reused");

    JsonNode payout = PayoutClient.awaitEnd(inlet, id);
    assertThat(payout.get("state").asString()).as(payout.toString()).isEqualTo("completed");
    HttpResponse<String> after = PayoutClient.create(inlet, "gina", receiver, "300000", "key-1");
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    assertThat(TestInlet.json.readTree(after.body()).get("id").asString()).isEqualTo(id);
    assertThat(parent.received(payout.get("destination").asString())).isEqualTo(300_000);
    assertThat(inlet.balance("gina")).isEqualTo(700_000);
    assertThat(reserved(inlet, "gina")).isZero();
  }

  @Test
  void anUnknownReceiverFailsThePayoutWithNothingSpent() throws Exception {
    fund("hank", 200_000);

    JsonNode payout =
        PayoutClient.pay(inlet, "hank", "http://127.0.0.1:" + parent.port() + "/nobody", 100_000);

    assertFailed(payout, "receiver-unknown");
    assertThat(amount(payout, "sent")).isZero();
    assertThat(inlet.balance("hank")).isEqualTo(200_000);
    assertThat(reserved(inlet, "hank")).isZero();
  }

  @Test
  void anSpspAnswerWithoutItsFieldsFailsThePayoutWithNothingSpent() throws Exception {
    fund("ivan", 200_000);
    parent.spspWithoutSecret = true;

    JsonNode payout = PayoutClient.pay(inlet, "ivan", parent.spspUrl("ivan-out"), 100_000);

    assertFailed(payout, "receiver-invalid");
    assertThat(amount(payout, "sent")).isZero();
    assertThat(inlet.balance("ivan")).isEqualTo(200_000);
    assertThat(reserved(inlet, "ivan")).isZero();
  }

  @Test
  void aReceiverInAnotherAssetThanItsPointerSaidFailsThePayoutWithNothingSpent() throws Exception {
    fund("judy", 200_000);
    parent.spspAssetCode = "EUR"; // its STREAM receiver says USD
    long arrivedBefore = parent.received();

    JsonNode payout = PayoutClient.pay(inlet, "judy", parent.spspUrl("judy-out"), 100_000);

    assertFailed(payout, "asset-mismatch");
    assertThat(amount(payout, "sent")).isZero();
    assertThat(parent.received()).isEqualTo(arrivedBefore);
    assertThat(inlet.balance("judy")).isEqualTo(200_000);
    assertThat(reserved(inlet, "judy")).isZero();
  }

  @Test
  void aMerchantPaysOutItsOwnAccountOnlyAndSeesOnlyItsOwnPayouts() throws Exception {
    MerchantClient owner = MerchantClient.create(inlet, "payer-merchant", "jill");
    MerchantClient stranger = MerchantClient.create(inlet, "other-merchant", "kate");
    SendMoneyResult paid =
        QuiltSender.pay(
            inlet,
            "$localhost:" + inlet.port + "/jill",
            400_000,
            1_000_000,
            Duration.ofSeconds(30));
    assertThat(paid.successfulPayment()).isTrue();
    String body =
        TestInlet.json.writeValueAsString(
            Map.of("account", "jill", "receiver", parent.spspUrl("jill-out"), "amount", "150000"));

    MerchantClient.assertProblem(stranger.post("/v1/payouts", body), 422, "unknown-account");
    JsonNode started = MerchantClient.ok(owner.post("/v1/payouts", body));
    String id = started.get("id").asString();
    JsonNode payout = PayoutClient.awaitEnd(inlet, id);

    assertThat(payout.get("state").asString()).as(payout.toString()).isEqualTo("completed");
    JsonNode seen = MerchantClient.ok(owner.get("/v1/payouts/" + id));
    assertThat(seen.get("sent").asString()).isEqualTo("150000");
    assertThat(stranger.get("/v1/payouts/" + id).statusCode()).isEqualTo(404);
    assertThat(events(owner, "payout.completed"))
        .anySatisfy(data -> assertThat(data.get("id").asString()).isEqualTo(id));
    assertThat(events(stranger, "payout.completed")).isEmpty();
    assertThat(parent.received(payout.get("destination").asString())).isEqualTo(150_000);
    assertThat(inlet.balance("jill")).isEqualTo(250_000);
  }

  /** The {@code data} of the merchant's events of {@code type}. */
  private static List<JsonNode> events(MerchantClient merchant, String type) {
    List<JsonNode> found = new java.util.ArrayList<>();
    String cursor = "0";
    while (cursor != null) {
      JsonNode page = MerchantClient.ok(merchant.get("/v1/events?limit=500&after=" + cursor));
      for (JsonNode e : page.get("items")) {
        if (e.get("type").asString().equals(type)) {
          found.add(e.get("data"));
        }
      }
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
    }
    return found;
  }

  @ParameterizedTest
  @EnumSource(QuiltParent.LostAnswer.class)
  void anAnswerLostAfterTheMoneyArrivedLeavesThePacketsInDoubtUntilAnOperatorSettlesThem(
      QuiltParent.LostAnswer how) throws Exception {
    String account = "lost-" + how.name().toLowerCase(java.util.Locale.ROOT);
    fund(account, 1_000_000);
    parent.loseMoneyAnswers = how;

    JsonNode payout = PayoutClient.pay(inlet, account, parent.spspUrl(account + "-out"), 500_000);

    assertFailed(payout, "in-doubt");
    String id = payout.get("id").asString();
    long arrived = parent.received(payout.get("destination").asString());
    List<JsonNode> inDoubt = PayoutClient.inDoubt(inlet, id);
    long doubtful = inDoubt.stream().mapToLong(i -> amount(i, "amount")).sum();
    assertThat(arrived).as("the receiver got what the lost answers were for").isPositive();
    assertThat(amount(payout, "sent")).isZero();
    // Every packet whose answer was lost did arrive; none is released as if rejected.
    assertThat(doubtful).isEqualTo(arrived);
    assertThat(reserved(inlet, account)).isEqualTo(doubtful);
    assertThat(inlet.balance(account)).isEqualTo(1_000_000);
    PayoutClient.assertLedgerConsistent(inlet);

    JsonNode settled = payout;
    for (JsonNode item : inDoubt) {
      settled = PayoutClient.settle(inlet, id, item, amount(item, "amount"));
    }
    assertThat(amount(settled, "sent")).isEqualTo(arrived);
    assertThat(amount(settled, "delivered")).isEqualTo(arrived);
    assertThat(PayoutClient.inDoubt(inlet, id)).isEmpty();
    assertThat(reserved(inlet, account)).isZero();
    assertThat(inlet.balance(account)).isEqualTo(1_000_000 - arrived);
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void anUplinkThatIsDownFailsThePayoutAndReleasesItsReservation() throws Exception {
    fund("lena", 300_000);
    inlet.createAccount("sink", null);
    parent.close(); // the parent is gone: every Prepare is refused before it leaves

    JsonNode payout = PayoutClient.pay(inlet, "lena", inlet.url("/sink"), 100_000);

    assertFailed(payout, "unreachable");
    assertThat(amount(payout, "sent")).isZero();
    assertThat(inlet.balance("lena")).isEqualTo(300_000);
    assertThat(inlet.balance("sink")).isZero();
    assertThat(reserved(inlet, "lena")).isZero();
  }
}
