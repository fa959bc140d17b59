package dev.inlet.it;

import static dev.inlet.it.MerchantClient.assertProblem;
import static dev.inlet.it.MerchantClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.StreamData;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.interledger.spsp.StreamConnectionDetails;
import org.interledger.stream.SendMoneyResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Invoices paid over STREAM: Quilt's sender resolves an invoice's payment pointer and pays it; the
 * ledger credits the invoice's account, never past the invoice's amount, completes it exactly at
 * its amount and writes the events in the same transaction.
 */
class InvoicePaymentTest extends InletPerClass {
  private static MerchantClient shop;

  @BeforeAll
  static void createMerchant() {
    shop = MerchantClient.create(inlet, "payee", "payee-usd");
  }

  @Test
  void twoConnectionsPayAnInvoiceInPartsAndItCompletesAtExactlyItsAmount() throws Exception {
    long before = inlet.balance("payee-usd");
    JsonNode invoice = invoice("30000", null);
    String id = invoice.get("id").asString();
    String pointer = invoice.get("payment_pointer").asString();
    assertThat(pointer).isEqualTo("$localhost:" + inlet.port + "/invoices/" + id);
    // Resolved now, used after completion: a connection that opened in time gets nothing through.
    StreamConnectionDetails late = QuiltSender.resolve(pointer);

    SendMoneyResult first = QuiltSender.pay(inlet, pointer, 10_000, 1_000, Duration.ofSeconds(30));
    assertThat(first.amountDelivered().longValue()).isEqualTo(10_000);
    JsonNode processing = ok(shop.get("/v1/invoices/" + id));
    assertThat(processing.get("state").asString()).isEqualTo("processing");
    assertThat(processing.get("received").asString()).isEqualTo("10000");

    SendMoneyResult second = QuiltSender.pay(inlet, pointer, 20_000, 1_000, Duration.ofSeconds(30));
    assertThat(second.amountDelivered().longValue()).isEqualTo(20_000);
    JsonNode completed = ok(shop.get("/v1/invoices/" + id));
    assertThat(completed.get("state").asString()).isEqualTo("completed");
    assertThat(completed.get("received").asString()).isEqualTo("30000");
    assertThat(completed.get("completed_at").isNull()).isFalse();
    assertThat(completed.get("payments")).hasSize(2);
    assertThat(amounts(completed.get("payments"))).containsExactlyInAnyOrder(10_000L, 20_000L);
    assertThat(inlet.balance("payee-usd") - before).isEqualTo(30_000);

    SendMoneyResult third =
        QuiltSender.payTo(
            inlet.ilpUrl(), TestInlet.connectorToken, late, 1_000, 1_000, Duration.ofSeconds(5));
    assertThat(third.amountDelivered().longValue()).isZero();
    assertProblem(spsp(id), 410, "invoice-completed");
    assertThat(ok(shop.get("/v1/invoices/" + id)).get("received").asString()).isEqualTo("30000");
    assertThat(inlet.balance("payee-usd") - before).isEqualTo(30_000);
    assertThat(ledgerConsistent()).isTrue();

    List<JsonNode> events = eventsOf(id);
    List<String> types = events.stream().map(e -> e.get("type").asString()).toList();
    assertThat(types.get(0)).isEqualTo("invoice.created");
    assertThat(types.get(1)).isEqualTo("payment.received");
    assertThat(types).containsOnlyOnce("invoice.processing", "invoice.completed");
    assertThat(types.get(types.size() - 1)).isEqualTo("invoice.completed");
    long paid =
        events.stream()
            .filter(e -> e.get("type").asString().equals("payment.received"))
            .mapToLong(e -> Long.parseLong(e.get("data").get("amount").asString()))
            .sum();
    assertThat(paid).isEqualTo(30_000);
    JsonNode done = events.get(events.size() - 1).get("data");
    assertThat(done.get("state").asString()).isEqualTo("completed");
    assertThat(done.get("received").asString()).isEqualTo("30000");
    assertThat(ids(events)).isSorted();
  }

  @Test
  void aSenderOfferingMoreThanTheInvoiceGetsExactlyItsAmountThrough() throws Exception {
    long before = inlet.balance("payee-usd");
    JsonNode invoice = invoice("50000", null);
    SendMoneyResult result =
        QuiltSender.pay(
            inlet,
            invoice.get("payment_pointer").asString(),
            80_000,
            1_000,
            Duration.ofSeconds(10));
    assertThat(result.amountDelivered().longValue()).isEqualTo(50_000);
    JsonNode after = ok(shop.get("/v1/invoices/" + invoice.get("id").asString()));
    assertThat(after.get("state").asString()).isEqualTo("completed");
    assertThat(after.get("received").asString()).isEqualTo("50000");
    assertThat(inlet.balance("payee-usd") - before).isEqualTo(50_000);
    assertThat(ledgerConsistent()).isTrue();
  }

  @Test
  void aPacketPastTheRemainingAmountIsRejectedWithTheLimitsAndCreditsNothing() {
    JsonNode invoice = invoice("100", null);
    String id = invoice.get("id").asString();
    TestSender sender = TestSender.open(inlet, "invoices/" + id);
    assertThat(sender.send(60, new StreamMoney(1, 1)).fulfilled()).isTrue();

    TestSender.Reply over = sender.send(50, new StreamMoney(1, 1));
    assertThat(over.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    StreamMaxMoney limits = over.frames(StreamMaxMoney.class).get(0);
    assertThat(limits.totalReceived()).isEqualTo(60);
    assertThat(limits.receiveMax()).as("the 40 left on top of the 60 received").isEqualTo(100);
    assertThat(ok(shop.get("/v1/invoices/" + id)).get("received").asString()).isEqualTo("60");

    assertThat(sender.send(40, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(ok(shop.get("/v1/invoices/" + id)).get("state").asString()).isEqualTo("completed");
    TestSender.Reply afterwards = sender.send(1, new StreamMoney(1, 1));
    assertThat(afterwards.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(afterwards.frames(ConnectionClose.class)).hasSize(1);
  }

  @Test
  void expiredAndCancelledInvoicesRejectPacketsAndAnswer410() throws Exception {
    long before = inlet.balance("payee-usd");
    JsonNode expiring = invoice("1000", Instant.now().plusSeconds(2).toString());
    String expiringId = expiring.get("id").asString();
    TestSender early = TestSender.open(inlet, "invoices/" + expiringId);
    JsonNode cancelled = invoice("1000", null);
    String cancelledId = cancelled.get("id").asString();
    TestSender opened = TestSender.open(inlet, "invoices/" + cancelledId);
    ok(shop.post("/v1/invoices/" + cancelledId + "/cancel", ""));

    await(() -> ok(shop.get("/v1/invoices/" + expiringId)).get("state").asString(), "expired");
    for (TestSender sender : List.of(early, opened)) {
      TestSender.Reply reply = sender.send(100, new StreamMoney(1, 1));
      assertThat(reply.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
      assertThat(reply.frames(ConnectionClose.class)).hasSize(1);
    }
    assertProblem(spsp(expiringId), 410, "invoice-expired");
    assertProblem(spsp(cancelledId), 410, "invoice-cancelled");
    assertThat(inlet.balance("payee-usd")).isEqualTo(before);
    List<String> types = eventsOf(expiringId).stream().map(e -> e.get("type").asString()).toList();
    assertThat(types).containsExactly("invoice.created", "invoice.expired");
    types = eventsOf(cancelledId).stream().map(e -> e.get("type").asString()).toList();
    assertThat(types).containsExactly("invoice.created", "invoice.cancelled");
  }

  @Test
  void aLonePayerHoldsItsInvoiceAndCancellingOrExpiringItReleasesTheHold() throws Exception {
    long before = inlet.balance("payee-usd");
    JsonNode cancelled = invoice("1000", null);
    String cancelledId = cancelled.get("id").asString();
    TestSender payer = TestSender.open(inlet, "invoices/" + cancelledId);
    assertThat(payer.send(100, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(payer.send(200, new StreamMoney(1, 1)).fulfilled()).isTrue();
    // The first credit took the hold (db/V8): the second stayed in the connection's row, capped at
    // what the invoice had left then, and the invoice shows both.
    assertThat(holdOf(cancelledId)).isEqualTo("row 100, held, cap 1000");
    assertThat(ok(shop.get("/v1/invoices/" + cancelledId)).get("received").asString())
        .isEqualTo("300");
    assertThat(spspBalance(cancelledId)).isEqualTo("300");

    ok(shop.post("/v1/invoices/" + cancelledId + "/cancel", ""));
    assertThat(holdOf(cancelledId)).isEqualTo("row 300, not held, cap -");
    JsonNode after = ok(shop.get("/v1/invoices/" + cancelledId));
    assertThat(after.get("state").asString()).isEqualTo("cancelled");
    assertThat(after.get("received").asString()).isEqualTo("300");
    // The holder's next packet was decided on a hold that is gone: refused, nothing credited.
    TestSender.Reply late = payer.send(50, new StreamMoney(1, 1));
    assertThat(late.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(late.frames(ConnectionClose.class)).hasSize(1);
    List<JsonNode> events = eventsOf(cancelledId);
    JsonNode cancelEvent = events.get(events.size() - 1);
    assertThat(cancelEvent.get("type").asString()).isEqualTo("invoice.cancelled");
    assertThat(cancelEvent.get("data").get("received").asString()).isEqualTo("300");

    JsonNode expiring = invoice("1000", Instant.now().plusSeconds(2).toString());
    String expiringId = expiring.get("id").asString();
    TestSender other = TestSender.open(inlet, "invoices/" + expiringId);
    assertThat(other.send(250, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(other.send(250, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(holdOf(expiringId)).isEqualTo("row 250, held, cap 1000");
    await(() -> ok(shop.get("/v1/invoices/" + expiringId)).get("state").asString(), "expired");
    assertThat(holdOf(expiringId)).isEqualTo("row 500, not held, cap -");
    assertThat(ok(shop.get("/v1/invoices/" + expiringId)).get("received").asString())
        .isEqualTo("500");
    assertThat(other.send(10, new StreamMoney(1, 1)).reject().code())
        .isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(inlet.balance("payee-usd") - before).isEqualTo(800);
    assertThat(ledgerConsistent()).isTrue();
  }

  @Test
  void thePayersStreamDataIsTheMemoOfItsPayment() {
    JsonNode invoice = invoice("500", null);
    String id = invoice.get("id").asString();
    TestSender sender = TestSender.open(inlet, "invoices/" + id);
    byte[] memo = "Order 42, thank you".getBytes(StandardCharsets.UTF_8);
    assertThat(sender.send(500, new StreamMoney(1, 1), new StreamData(1, 0, memo)).fulfilled())
        .isTrue();
    JsonNode payments = ok(shop.get("/v1/invoices/" + id)).get("payments");
    assertThat(payments).hasSize(1);
    assertThat(payments.get(0).get("memo").asString()).isEqualTo("Order 42, thank you");
    assertThat(payments.get(0).get("amount").asString()).isEqualTo("500");
  }

  @Test
  void moneyOnAMerchantsAccountIsAnEventAndOnAnAccountWithoutMerchantNone() {
    assertThat(TestSender.open(inlet, "payee-usd").send(700, new StreamMoney(1, 1)).fulfilled())
        .isTrue();
    inlet.createAccount("loner", null);
    assertThat(TestSender.open(inlet, "loner").send(300, new StreamMoney(1, 1)).fulfilled())
        .isTrue();

    List<JsonNode> direct = new ArrayList<>();
    JsonNode page = ok(shop.get("/v1/events?limit=500&after=0"));
    page.get("items").forEach(direct::add);
    JsonNode event =
        direct.stream()
            .filter(e -> e.get("type").asString().equals("payment.received"))
            .filter(e -> e.get("data").get("invoice").isNull())
            .filter(e -> e.get("data").get("amount").asString().equals("700"))
            .findFirst()
            .orElseThrow();
    assertThat(event.get("data").get("account").asString()).isEqualTo("payee-usd");
    assertThat(event.get("data").get("connection_id").asString()).hasSize(24);
    long loners =
        JdbcClient.create(inlet.bean(DataSource.class))
            .sql("SELECT count(*) FROM events WHERE data->>'account' = 'loner'")
            .query(Long.class)
            .single();
    assertThat(loners).isZero();
  }

  private static JsonNode invoice(String amount, String expiresAt) {
    String body =
        "{\"account\":\"payee-usd\",\"amount\":\""
            + amount
            + "\""
            + (expiresAt == null ? "" : ",\"expires_at\":\"" + expiresAt + "\"")
            + "}";
    HttpResponse<String> r = shop.post("/v1/invoices", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestInlet.json.readTree(r.body());
  }

  /**
   * The invoice's row as the ledger leaves it: its {@code received} column, whether a connection
   * holds it, and its connection's {@code invoice_cap}.
   */
  private static String holdOf(String publicId) {
    return JdbcClient.create(inlet.bean(DataSource.class))
        .sql(
            "SELECT 'row ' || i.received || ', ' || CASE WHEN i.holder IS NULL THEN 'not ' ELSE '' END"
                + " || 'held, cap ' || coalesce((SELECT c.invoice_cap::text FROM connections c"
                + " WHERE c.invoice_id = i.id), '-') FROM invoices i WHERE i.public_id = ?")
        .param(publicId)
        .query(String.class)
        .single();
  }

  /** What the invoice's payment pointer says it has received ({@code balance.current}). */
  private static String spspBalance(String invoiceId) {
    HttpResponse<String> r = spsp(invoiceId);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body()).get("balance").get("current").asString();
  }

  private static HttpResponse<String> spsp(String invoiceId) {
    return inlet.send(
        HttpRequest.newBuilder(URI.create(inlet.url("/invoices/" + invoiceId)))
            .header("Accept", "application/spsp4+json")
            .GET());
  }

  /** The merchant's events about one invoice, in order. */
  private static List<JsonNode> eventsOf(String invoiceId) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = "0";
    while (cursor != null) {
      JsonNode page = ok(shop.get("/v1/events?limit=500&after=" + cursor));
      page.get("items").forEach(all::add);
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
    }
    return all.stream()
        .filter(
            e -> {
              JsonNode data = e.get("data");
              String id = e.get("type").asString().startsWith("invoice.") ? "id" : "invoice";
              return data.has(id) && invoiceId.equals(data.get(id).asString());
            })
        .toList();
  }

  private static List<Long> ids(List<JsonNode> events) {
    return events.stream().map(e -> e.get("id").asLong()).toList();
  }

  private static List<Long> amounts(JsonNode payments) {
    List<Long> amounts = new ArrayList<>();
    payments.forEach(p -> amounts.add(Long.parseLong(p.get("amount").asString())));
    return amounts;
  }

  private static boolean ledgerConsistent() {
    return TestInlet.json
        .readTree(inlet.adminGet("/admin/ledger/check").body())
        .get("consistent")
        .asBoolean();
  }

  private static void await(java.util.function.Supplier<String> value, String expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!expected.equals(value.get())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still " + value.get() + ", expected " + expected);
      }
      Thread.sleep(100);
    }
  }
}
