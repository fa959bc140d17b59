package dev.inlet.it;

import static dev.inlet.it.MerchantClient.assertProblem;
import static dev.inlet.it.MerchantClient.ok;
import static dev.inlet.it.PayoutClient.amount;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.stream.StreamMoney;
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
 * Refunds ({@code POST /v1/invoices/{id}/refunds}) over the connection that paid, through the
 * JavaScript reference connector: a JS payer ({@code party.js}, ilp-protocol-stream) that told
 * Inlet its address and keeps its connection open, taking money on the streams Inlet opens, gets
 * the refund; a payer that gave no address (no {@code ConnectionNewAddress}) gets 409 {@code
 * payer-unreachable} and nothing moves.
 */
class RefundTest {
  @TempDir static Path dataDir;
  static ConnectorChild child;
  static JsConnector connector;
  static TestInlet inlet;
  static MerchantClient shop;

  @BeforeAll
  static void start() throws Exception {
    child = ConnectorChild.start(dataDir, Map.of());
    connector = child.connector();
    inlet = child.inlet();
    shop = MerchantClient.create(inlet, "refunder", "refunder-usd");
  }

  @AfterAll
  static void stop() {
    if (child != null) {
      child.close();
    }
  }

  private static JsonNode invoice(long amount) {
    HttpResponse<String> r =
        shop.post("/v1/invoices", "{\"account\":\"refunder-usd\",\"amount\":\"" + amount + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestInlet.json.readTree(r.body());
  }

  private static HttpResponse<String> refund(String invoice, String body) {
    return shop.post("/v1/invoices/" + invoice + "/refunds", body);
  }

  /** Polls {@code GET /v1/payouts/{id}} until the refund ended. */
  private static JsonNode awaitEnd(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode refund = ok(shop.get("/v1/payouts/" + id));
    while (refund.get("state").asString().equals("sending")) {
      assertThat(System.nanoTime()).as("refund still sending: %s", refund).isLessThan(deadline);
      Thread.sleep(100);
      refund = ok(shop.get("/v1/payouts/" + id));
    }
    return refund;
  }

  @Test
  void aPayerThatKeepsItsConnectionOpenGetsItsRefundsOnIt() throws Exception {
    long before = inlet.balance("refunder-usd");
    // Paid in full: the invoice completes, and the payer's connection stays open for refunds (only
    // money is refused on it from then on).
    JsonNode invoice = invoice(1_000_000);
    String id = invoice.get("id").asString();
    JsonNode spsp = PayoutClient.spsp(inlet, inlet.url("/invoices/" + id));
    JsConnector.Party payer = connector.party();
    JsonNode paid =
        payer.payAndStay(
            spsp.get("destination_account").asString(),
            spsp.get("shared_secret").asString(),
            1_000_000);
    assertThat(paid.has("error")).as(paid.toString()).isFalse();
    assertThat(paid.get("delivered").asString()).isEqualTo("1000000");
    String connection = paid.get("id").asString();
    JsonNode payment = ok(shop.get("/v1/invoices/" + id)).get("payments").get(0);
    assertThat(payment.get("source_address").asString())
        .isEqualTo(paid.get("source_account").asString());
    String paymentId = payment.get("connection_id").asString();
    assertThat(ok(shop.get("/v1/invoices/" + id)).get("state").asString()).isEqualTo("completed");

    HttpResponse<String> started = refund(id, "{\"amount\":\"400000\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    JsonNode first = TestInlet.json.readTree(started.body());
    assertThat(first.get("kind").asString()).isEqualTo("refund");
    assertThat(first.get("invoice").asString()).isEqualTo(id);
    assertThat(first.get("payment").asString()).isEqualTo(paymentId);
    JsonNode done = awaitEnd(first.get("id").asString());

    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("completed");
    assertThat(amount(done, "sent")).isEqualTo(400_000);
    assertThat(amount(done, "delivered")).isEqualTo(400_000);
    assertThat(payer.refunds(connection)).isEqualTo(400_000);
    assertThat(inlet.balance("refunder-usd") - before).isEqualTo(600_000);
    PayoutClient.assertLedgerConsistent(inlet);

    // Never more than the payment delivered, summed over its refunds.
    assertProblem(refund(id, "{\"amount\":\"600001\"}"), 409, "refund-exceeds-payment");
    JsonNode rest = awaitEnd(ok(refund(id, "{\"amount\":\"600000\"}")).get("id").asString());
    assertThat(rest.get("state").asString()).as(rest.toString()).isEqualTo("completed");
    assertThat(payer.refunds(connection)).isEqualTo(1_000_000);
    assertThat(inlet.balance("refunder-usd")).isEqualTo(before);
    assertProblem(refund(id, "{\"amount\":\"1\"}"), 409, "refund-exceeds-payment");
    assertThat(PayoutClient.reserved(inlet, "refunder-usd")).isZero();
    PayoutClient.assertLedgerConsistent(inlet);
    payer.close(connection);
  }

  @Test
  void aPayerThatGaveNoAddressCannotBeRefundedAndNothingMoves() throws Exception {
    JsonNode invoice = invoice(50_000);
    String id = invoice.get("id").asString();
    // Money without a ConnectionNewAddress ever sent: Inlet has nowhere to send anything back.
    TestSender payer = TestSender.open(inlet, "invoices/" + id);
    assertThat(payer.send(20_000, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(ok(shop.get("/v1/invoices/" + id)).get("received").asString()).isEqualTo("20000");
    long balance = inlet.balance("refunder-usd");

    assertProblem(refund(id, "{\"amount\":\"10000\"}"), 409, "payer-unreachable");

    assertThat(inlet.balance("refunder-usd")).isEqualTo(balance);
    assertThat(PayoutClient.reserved(inlet, "refunder-usd")).isZero();
    PayoutClient.assertLedgerConsistent(inlet);
  }
}
