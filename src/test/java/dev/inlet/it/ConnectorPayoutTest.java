package dev.inlet.it;

import static dev.inlet.it.PayoutClient.amount;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Money in and out through the JavaScript reference connector ({@link JsConnector}: ilp-connector
 * 23, Inlet its BTP child, learning its address by ILDCP): a JS STREAM sender on the connector's
 * other child ({@code party.js} on mini-accounts) pays an Inlet account, and Inlet pays part of
 * that balance out, through the connector, to a JS STREAM receiver on that child, found by SPSP.
 * What Inlet says it sent and delivered is what the JS receiver got, and the ledger balances.
 */
class ConnectorPayoutTest {
  @TempDir static Path dataDir;
  static ConnectorChild child;
  static JsConnector connector;
  static TestInlet inlet;

  @BeforeAll
  static void start() throws Exception {
    child =
        ConnectorChild.start(
            dataDir, Map.of("inlet.spsp.allow-http", "true", "inlet.spsp.allow-private", "true"));
    connector = child.connector();
    inlet = child.inlet();
  }

  @AfterAll
  static void stop() {
    if (child != null) {
      child.close();
    }
  }

  @Test
  void paysOutPartOfWhatAJsSenderPaidInToAJsReceiverThroughTheConnector() throws Exception {
    inlet.createAccount("till", null);
    JsonNode spsp = PayoutClient.spsp(inlet, inlet.url("/till"));
    JsonNode paid =
        connector
            .party()
            .pay(
                spsp.get("destination_account").asString(),
                spsp.get("shared_secret").asString(),
                5_000_000);
    assertThat(paid.has("error")).as(paid.toString()).isFalse();
    long paidIn = Long.parseLong(paid.get("delivered").asString());
    assertThat(paidIn).isEqualTo(5_000_000);
    assertThat(inlet.balance("till")).isEqualTo(paidIn);

    JsConnector.Party receiver = connector.party();
    String url = receiver.spspUrl();
    JsonNode payout = PayoutClient.pay(inlet, "till", url, 2_000_000);

    assertThat(payout.get("state").asString()).as(payout.toString()).isEqualTo("completed");
    assertThat(amount(payout, "sent")).isEqualTo(2_000_000);
    // One to one, no spread: all of it arrives.
    assertThat(amount(payout, "delivered")).isEqualTo(2_000_000);
    assertThat(receiver.total()).isEqualTo(amount(payout, "delivered"));
    assertThat(payout.get("destination").asString()).startsWith(connector.address + ".peer.");
    assertThat(inlet.balance("till")).isEqualTo(paidIn - amount(payout, "sent"));
    assertThat(PayoutClient.reserved(inlet, "till")).isZero();
    PayoutClient.assertLedgerConsistent(inlet);

    JsonNode second = PayoutClient.pay(inlet, "till", url, 3_000_000);
    assertThat(second.get("state").asString()).as(second.toString()).isEqualTo("completed");
    assertThat(receiver.total()).isEqualTo(5_000_000);
    assertThat(inlet.balance("till")).isZero();
    PayoutClient.assertLedgerConsistent(inlet);
  }

  @Test
  void aJsClientOnTheConnectorRedeemsAVoucherOfInlet() throws Exception {
    inlet.createAccount("gifts", null);
    JsonNode spsp = PayoutClient.spsp(inlet, inlet.url("/gifts"));
    JsonNode paid =
        connector
            .party()
            .pay(
                spsp.get("destination_account").asString(),
                spsp.get("shared_secret").asString(),
                1_000_000);
    assertThat(paid.has("error")).as(paid.toString()).isFalse();
    HttpResponse<String> made =
        inlet.adminPost("/admin/vouchers", "{\"account\":\"gifts\",\"amount\":\"400000\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonNode voucher = TestInlet.json.readTree(made.body());

    JsConnector.Party redeemer = connector.party();
    String pointer = inlet.url("/vouchers/" + voucher.get("code").asString());
    JsonNode first = redeemer.redeem(pointer, 1_000_000);
    assertThat(first.get("received").asString()).as(first.toString()).isEqualTo("400000");
    JsonNode second = redeemer.redeem(pointer, 1_000_000);
    assertThat(second.get("received").asString()).as(second.toString()).isEqualTo("0");

    assertThat(inlet.balance("gifts")).isEqualTo(600_000);
    JsonNode after =
        TestInlet.json.readTree(
            inlet.adminGet("/admin/vouchers/" + voucher.get("id").asString()).body());
    assertThat(after.get("state").asString()).isEqualTo("redeemed");
    assertThat(amount(after, "paid_out")).isEqualTo(400_000);
    PayoutClient.assertLedgerConsistent(inlet);
  }
}
