package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The payout API of a {@link TestInlet} as tests use it: create with the admin token, wait for the
 * end, in-doubt packets and their settlement, and what the ledger holds ({@code reserved}, the
 * ledger check).
 */
final class PayoutClient {
  private static final Duration endTimeout = Duration.ofSeconds(90);

  private PayoutClient() {}

  /** {@code POST /admin/payouts}, with an {@code Idempotency-Key} when {@code key} is not null. */
  static HttpResponse<String> create(
      TestInlet inlet, String account, String receiver, String amount, String key) {
    String body =
        TestInlet.json.writeValueAsString(
            Map.of("account", account, "receiver", receiver, "amount", amount));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(inlet.url("/admin/payouts")))
            .header("Authorization", "Bearer " + inlet.admin)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return inlet.send(request);
  }

  /** Creates a payout, asserting 202 and a payout JSON; returns it. */
  static JsonNode start(TestInlet inlet, String account, String receiver, long amount) {
    HttpResponse<String> r = create(inlet, account, receiver, Long.toUnsignedString(amount), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode payout = TestInlet.json.readTree(r.body());
    assertThat(payout.get("id").asString()).startsWith("po_");
    assertThat(payout.get("kind").asString()).isEqualTo("payout");
    assertThat(payout.get("account").asString()).isEqualTo(account);
    assertThat(payout.get("amount").asString()).isEqualTo(Long.toUnsignedString(amount));
    return payout;
  }

  /** {@code GET /admin/payouts/{id}}, asserting 200. */
  static JsonNode get(TestInlet inlet, String id) {
    HttpResponse<String> r = inlet.adminGet("/admin/payouts/" + id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
  }

  /** Polls the payout until it is not {@code sending} any more (90 s at most). */
  static JsonNode awaitEnd(TestInlet inlet, String id) throws InterruptedException {
    long deadline = System.nanoTime() + endTimeout.toNanos();
    JsonNode payout = get(inlet, id);
    while (payout.get("state").asString().equals("sending")) {
      assertThat(System.nanoTime())
          .as("payout %s still sending: %s", id, payout)
          .isLessThan(deadline);
      Thread.sleep(100);
      payout = get(inlet, id);
    }
    assertThat(payout.get("ended_at").isNull()).as(payout.toString()).isFalse();
    return payout;
  }

  /** Starts a payout and waits for its end. */
  static JsonNode pay(TestInlet inlet, String account, String receiver, long amount)
      throws InterruptedException {
    return awaitEnd(inlet, start(inlet, account, receiver, amount).get("id").asString());
  }

  /** A decimal amount of the payout JSON. */
  static long amount(JsonNode payout, String field) {
    return Long.parseUnsignedLong(payout.get(field).asString());
  }

  /**
   * What is reserved of the account's balance, as the admin API shows it; asserts {@code available}
   * is the balance less that.
   */
  static long reserved(TestInlet inlet, String account) {
    HttpResponse<String> r = inlet.adminGet("/admin/accounts/" + account);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode a = TestInlet.json.readTree(r.body());
    long reserved = Long.parseUnsignedLong(a.get("reserved").asString());
    assertThat(Long.parseUnsignedLong(a.get("available").asString()))
        .as(r.body())
        .isEqualTo(Long.parseUnsignedLong(a.get("balance").asString()) - reserved);
    return reserved;
  }

  /** {@code GET /admin/payouts/in-doubt}: the items of payout {@code id}. */
  static List<JsonNode> inDoubt(TestInlet inlet, String id) {
    HttpResponse<String> r = inlet.adminGet("/admin/payouts/in-doubt");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode item : TestInlet.json.readTree(r.body()).get("items")) {
      if (item.get("payout").asString().equals(id)) {
        items.add(item);
      }
    }
    return items;
  }

  /**
   * An operator's answer to an in-doubt packet ({@code POST
   * /admin/payouts/{id}/packets/{sequence}}): fulfilled with {@code delivered}, or rejected when
   * {@code delivered} is null. Asserts 200.
   */
  static JsonNode settle(TestInlet inlet, String id, JsonNode item, Long delivered) {
    HttpResponse<String> r =
        inlet.adminPost(
            "/admin/payouts/" + id + "/packets/" + item.get("sequence").asLong(),
            delivered == null
                ? "{\"outcome\":\"rejected\"}"
                : "{\"outcome\":\"fulfilled\",\"delivered\":\"" + delivered + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
  }

  /**
   * An SPSP query (RFC 0009) of {@code url}: {@code destination_account}, {@code shared_secret}.
   */
  static JsonNode spsp(TestInlet inlet, String url) {
    HttpResponse<String> r =
        inlet.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/spsp4+json")
                .GET());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
  }

  /** Creates account {@code name} and pays it {@code amount} over {@code /ilp} (Quilt's sender). */
  static void fund(TestInlet inlet, String name, long amount) throws Exception {
    inlet.createAccount(name, null);
    org.interledger.stream.SendMoneyResult paid =
        QuiltSender.pay(
            inlet,
            "$localhost:" + inlet.port + "/" + name,
            amount,
            1_000_000,
            Duration.ofSeconds(30));
    assertThat(paid.successfulPayment()).as(paid.toString()).isTrue();
    assertThat(inlet.balance(name)).isEqualTo(amount);
  }

  /** Asserts {@code /admin/ledger/check} answers 200 and consistent. */
  static void assertLedgerConsistent(TestInlet inlet) {
    HttpResponse<String> check = inlet.adminGet("/admin/ledger/check");
    assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
    assertThat(TestInlet.json.readTree(check.body()).get("consistent").asBoolean())
        .as(check.body())
        .isTrue();
  }

  /** Asserts the payout failed with an error {@code slug: detail}. */
  static void assertFailed(JsonNode payout, String slug) {
    assertThat(payout.get("state").asString()).as(payout.toString()).isEqualTo("failed");
    assertThat(payout.get("error").isNull()).as(payout.toString()).isFalse();
    assertThat(payout.get("error").asString()).as(payout.toString()).startsWith(slug + ": ");
  }
}
