package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.interledger.stream.SendMoneyResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Quilt's Java STREAM client pays payment pointers served by Inlet, over SPSP and ILP-over-HTTP.
 */
class QuiltPaymentTest extends InletPerClass {

  @Test
  void paysOneMillionUnitsInManyPacketsCreditedExactlyOnce() throws Exception {
    inlet.createAccount("alice", null);
    JsonNode before = ledgerCheck();

    SendMoneyResult result =
        QuiltSender.pay(
            inlet,
            "$localhost:" + inlet.port + "/alice",
            1_000_000,
            10_000,
            Duration.ofSeconds(60));

    assertThat(result.successfulPayment()).isTrue();
    assertThat(result.amountDelivered().longValue()).isEqualTo(1_000_000L);
    assertThat(result.numFulfilledPackets()).isGreaterThanOrEqualTo(100);
    assertThat(inlet.balance("alice")).isEqualTo(1_000_000L);
    JsonNode after = ledgerCheck();
    assertThat(
            new java.math.BigInteger(after.get("credited").asString())
                .subtract(new java.math.BigInteger(before.get("credited").asString())))
        .isEqualTo(java.math.BigInteger.valueOf(1_000_000));
    assertThat(after.get("entries_total").asString()).isEqualTo("0");

    JsonNode connections =
        TestInlet.json.readTree(inlet.adminGet("/admin/accounts/alice/connections").body());
    assertThat(connections.get("connections")).hasSize(1);
    JsonNode connection = connections.get("connections").get(0);
    assertThat(connection.get("total_received").asString()).isEqualTo("1000000");
    assertThat(connection.get("source_address").asString()).isEqualTo("test.sender");
    assertThat(connection.get("packets_fulfilled").asLong())
        .isGreaterThanOrEqualTo(result.numFulfilledPackets());
    assertThat(connection.get("streams").get(0).get("stream_id").asLong()).isEqualTo(1);
    assertThat(connection.get("streams").get(0).get("received").asString()).isEqualTo("1000000");
  }

  @Test
  void receiveLimitStopsTheSenderAndNothingBeyondItIsCredited() throws Exception {
    inlet.createAccount("capped", "250000");

    SendMoneyResult result =
        QuiltSender.pay(
            inlet,
            "$localhost:" + inlet.port + "/capped",
            1_000_000,
            10_000,
            Duration.ofSeconds(8));

    assertThat(result.successfulPayment()).isFalse();
    long balance = inlet.balance("capped");
    assertThat(balance)
        .isEqualTo(result.amountDelivered().longValue())
        .isLessThanOrEqualTo(250_000L);
    assertThat(balance).isGreaterThan(0);
    assertThat(ledgerCheck().get("consistent").asBoolean()).isTrue();
  }

  @Test
  void secondPaymentToTheSamePointerAddsUp() throws Exception {
    inlet.createAccount("bob", null);
    QuiltSender.pay(
        inlet, "$localhost:" + inlet.port + "/bob", 12_345, 1_000, Duration.ofSeconds(30));
    QuiltSender.pay(
        inlet, "$localhost:" + inlet.port + "/bob", 55_555, 1_000, Duration.ofSeconds(30));
    assertThat(inlet.balance("bob")).isEqualTo(67_900L);
    JsonNode connections =
        TestInlet.json.readTree(inlet.adminGet("/admin/accounts/bob/connections").body());
    assertThat(connections.get("connections")).hasSize(2);
  }

  private static JsonNode ledgerCheck() {
    HttpResponse<String> r = inlet.adminGet("/admin/ledger/check");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
  }
}
