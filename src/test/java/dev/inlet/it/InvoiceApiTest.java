package dev.inlet.it;

import static dev.inlet.it.MerchantClient.assertProblem;
import static dev.inlet.it.MerchantClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The merchant API's invoices over HTTP: create, idempotent create, read, list, cancel, the
 * invoice's payment pointer, isolation between merchants, and bad input refused with nothing
 * written.
 */
class InvoiceApiTest extends InletPerClass {
  private static MerchantClient acme;
  private static MerchantClient other;
  private static JdbcClient jdbc;

  @BeforeAll
  static void createMerchants() {
    acme = MerchantClient.create(inlet, "acme", "acme-usd");
    other = MerchantClient.create(inlet, "other", "other-usd");
    inlet.createAccount("nobodys", null);
    jdbc = JdbcClient.create(inlet.bean(DataSource.class));
  }

  private static JsonNode create(MerchantClient m, String body) {
    HttpResponse<String> r = m.post("/v1/invoices", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestInlet.json.readTree(r.body());
  }

  @Test
  void createAnswers201WithTheInvoice() {
    Instant before = Instant.now();
    HttpResponse<String> r =
        acme.post(
            "/v1/invoices",
            "{\"account\":\"acme-usd\",\"amount\":\"18446744073709551615\","
                + "\"description\":\"Order 17\",\"reference\":\"ref-17\","
                + "\"metadata\":{\"order\":{\"id\":17}}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode invoice = TestInlet.json.readTree(r.body());
    String id = invoice.get("id").asString();
    assertThat(id).matches("inv_[a-z2-7]{26}");
    assertThat(r.headers().firstValue("Location")).hasValue("/v1/invoices/" + id);
    assertThat(invoice.get("account").asString()).isEqualTo("acme-usd");
    assertThat(invoice.get("state").asString()).isEqualTo("pending");
    assertThat(invoice.get("amount").asString()).isEqualTo("18446744073709551615");
    assertThat(invoice.get("received").asString()).isEqualTo("0");
    assertThat(invoice.get("asset_code").asString()).isEqualTo("USD");
    assertThat(invoice.get("asset_scale").asInt()).isEqualTo(9);
    assertThat(invoice.get("description").asString()).isEqualTo("Order 17");
    assertThat(invoice.get("reference").asString()).isEqualTo("ref-17");
    assertThat(invoice.get("metadata").get("order").get("id").asInt()).isEqualTo(17);
    assertThat(invoice.get("payment_pointer").asString())
        .isEqualTo("$localhost:" + inlet.port + "/invoices/" + id);
    assertThat(invoice.get("spsp_url").asString())
        .isEqualTo("http://localhost:" + inlet.port + "/invoices/" + id);
    assertThat(invoice.get("payments").isArray()).isTrue();
    assertThat(invoice.get("payments").size()).isZero();
    assertThat(invoice.get("completed_at").isNull()).isTrue();
    Instant expires = Instant.parse(invoice.get("expires_at").asString());
    assertThat(expires)
        .isBetween(
            before.plus(24, ChronoUnit.HOURS).minusSeconds(2), before.plus(25, ChronoUnit.HOURS));
    // The event, written with it.
    assertThat(
            jdbc.sql(
                    "SELECT data->>'id' FROM events WHERE type = 'invoice.created' AND data->>'id' = ?")
                .param(id)
                .query(String.class)
                .list())
        .containsExactly(id);
    assertThat(ok(acme.get("/v1/invoices/" + id))).isEqualTo(invoice);
  }

  @Test
  void createWithTheSameIdempotencyKeyReturnsTheSameInvoice() {
    String body = "{\"account\":\"acme-usd\",\"amount\":\"500\",\"metadata\":{\"a\":1,\"b\":2}}";
    Map<String, String> key = Map.of("Idempotency-Key", "order-42/attempt");
    HttpResponse<String> first = acme.post("/v1/invoices", body, key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    String id = TestInlet.json.readTree(first.body()).get("id").asString();
    // The same request, its fields in another order and spaced otherwise.
    HttpResponse<String> retry =
        acme.post(
            "/v1/invoices",
            "{ \"metadata\": {\"b\":2, \"a\":1}, \"amount\": \"500\", \"account\": \"acme-usd\" }",
            key);
    assertThat(retry.statusCode()).as(retry.body()).isIn(200, 201);
    assertThat(TestInlet.json.readTree(retry.body()).get("id").asString()).isEqualTo(id);
    assertProblem(
        acme.post("/v1/invoices", body.replace("500", "501"), key), 422, "idempotency-key-reused");
    assertThat(count("SELECT count(*) FROM invoices WHERE idempotency_key = 'order-42/attempt'"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM events WHERE data->>'id' = '" + id + "'")).isEqualTo(1);
    // Keys are the merchant's own: another merchant's same key makes its own invoice.
    HttpResponse<String> theirs =
        other.post("/v1/invoices", body.replace("acme-usd", "other-usd"), key);
    assertThat(theirs.statusCode()).isEqualTo(201);
    assertThat(TestInlet.json.readTree(theirs.body()).get("id").asString()).isNotEqualTo(id);
    assertProblem(
        acme.post("/v1/invoices", body, Map.of("Idempotency-Key", "with space")),
        400,
        "invalid-idempotency-key");
  }

  @Test
  void concurrentCreatesWithOneKeyMakeOneInvoice() throws Exception {
    String body = "{\"account\":\"acme-usd\",\"amount\":\"7\"}";
    Map<String, String> key = Map.of("Idempotency-Key", "race");
    List<Thread> threads = new ArrayList<>();
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      Thread t =
          new Thread(() -> ids.add(ok(acme.post("/v1/invoices", body, key)).get("id").asString()));
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(ids).hasSize(8);
    assertThat(ids.stream().distinct()).hasSize(1);
    assertThat(count("SELECT count(*) FROM invoices WHERE idempotency_key = 'race'")).isEqualTo(1);
  }

  @Test
  void listsNewestFirstWithFiltersAndCursor() {
    MerchantClient lister = MerchantClient.create(inlet, "lister", "lister-usd");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(
          create(lister, "{\"account\":\"lister-usd\",\"amount\":\"" + (i + 1) + "\"}")
              .get("id")
              .asString());
    }
    ok(lister.post("/v1/invoices/" + created.get(1) + "/cancel", ""));
    List<String> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          ok(lister.get("/v1/invoices?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
      page.get("items").forEach(item -> seen.add(item.get("id").asString()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
      pages++;
    } while (cursor != null);
    assertThat(seen).isEqualTo(newestFirst);
    assertThat(pages).isEqualTo(3);

    JsonNode cancelled = ok(lister.get("/v1/invoices?state=cancelled"));
    assertThat(cancelled.get("items").size()).isEqualTo(1);
    assertThat(cancelled.get("items").get(0).get("id").asString()).isEqualTo(created.get(1));
    assertThat(cancelled.get("next_cursor").isNull()).isTrue();
    assertThat(ok(lister.get("/v1/invoices?state=pending")).get("items").size()).isEqualTo(4);

    String third = ok(lister.get("/v1/invoices/" + created.get(2))).get("created_at").asString();
    List<String> after = ids(ok(lister.get("/v1/invoices?created_after=" + third)));
    assertThat(after).containsExactly(created.get(4), created.get(3));
    List<String> before = ids(ok(lister.get("/v1/invoices?created_before=" + third)));
    assertThat(before).containsExactly(created.get(1), created.get(0));

    assertProblem(lister.get("/v1/invoices?state=paid"), 400, "invalid-state");
    assertProblem(lister.get("/v1/invoices?limit=0"), 400, "invalid-limit");
    assertProblem(lister.get("/v1/invoices?limit=101"), 400, "invalid-limit");
    assertProblem(lister.get("/v1/invoices?cursor=nonsense"), 400, "invalid-cursor");
    assertProblem(lister.get("/v1/invoices?created_after=yesterday"), 400, "invalid-created-after");
    // Another merchant's invoice is no cursor of this one's.
    String foreign =
        create(acme, "{\"account\":\"acme-usd\",\"amount\":\"1\"}").get("id").asString();
    String foreignCursor =
        Base64.getUrlEncoder().withoutPadding().encodeToString(foreign.getBytes());
    assertProblem(lister.get("/v1/invoices?cursor=" + foreignCursor), 400, "invalid-cursor");
  }

  @Test
  void cancelEndsTheInvoiceAndItsPointer() {
    JsonNode invoice = create(acme, "{\"account\":\"acme-usd\",\"amount\":\"1000\"}");
    String id = invoice.get("id").asString();
    JsonNode cancelled = ok(acme.post("/v1/invoices/" + id + "/cancel", ""));
    assertThat(cancelled.get("state").asString()).isEqualTo("cancelled");
    assertThat(cancelled.get("ended_at").isNull()).isFalse();
    assertThat(
            count(
                "SELECT count(*) FROM events WHERE type = 'invoice.cancelled' AND data->>'id' = '"
                    + id
                    + "'"))
        .isEqualTo(1);
    assertProblem(acme.post("/v1/invoices/" + id + "/cancel", ""), 409, "invoice-not-cancellable");
    assertProblem(spsp("/invoices/" + id, Map.of()), 410, "invoice-cancelled");
  }

  @Test
  void pointerOfAPendingInvoiceAnswersSpspWithItsBalance() {
    JsonNode invoice = create(acme, "{\"account\":\"acme-usd\",\"amount\":\"2500\"}");
    String path = "/invoices/" + invoice.get("id").asString();
    HttpResponse<String> r = spsp(path, Map.of("Origin", "https://shop.example"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/spsp4+json");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    JsonNode body = TestInlet.json.readTree(r.body());
    assertThat(body.get("destination_account").asString()).startsWith("test.inlet.acme-usd.");
    assertThat(Base64.getDecoder().decode(body.get("shared_secret").asString())).hasSize(32);
    assertThat(body.get("receipts_enabled").asBoolean()).isFalse();
    assertThat(body.get("balance").get("current").asString()).isEqualTo("0");
    assertThat(body.get("balance").get("maximum").asString()).isEqualTo("2500");
    assertThat(body.get("asset_info").get("code").asString()).isEqualTo("USD");
    assertThat(body.get("asset_info").get("scale").asInt()).isEqualTo(9);
    JsonNode again = TestInlet.json.readTree(spsp(path, Map.of()).body());
    assertThat(again.get("destination_account").asString())
        .isNotEqualTo(body.get("destination_account").asString());
    String nonce = Base64.getEncoder().encodeToString(new byte[16]);
    String secret = Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(
            TestInlet.json
                .readTree(
                    spsp(path, Map.of("Receipt-Nonce", nonce, "Receipt-Secret", secret)).body())
                .get("receipts_enabled")
                .asBoolean())
        .isTrue();
    assertProblem(spsp(path, Map.of("Receipt-Nonce", nonce)), 400, "invalid-receipt-headers");
    assertProblem(
        spsp("/invoices/inv_aaaaaaaaaaaaaaaaaaaaaaaaaa", Map.of()), 404, "unknown-invoice");
    assertProblem(spsp("/invoices/nonsense", Map.of()), 404, "unknown-invoice");
  }

  @Test
  void paymentsListTheConnectionsThatPaidWithTheirMemos() {
    String id = create(acme, "{\"account\":\"acme-usd\",\"amount\":\"100\"}").get("id").asString();
    // Connections as the ledger writer leaves them (the STREAM side is tested with the receiver).
    String insert =
        "INSERT INTO connections (id, account_id, invoice_id, source_address, total_received,"
            + " opened_at) SELECT decode(?, 'hex'), account_id, id, ?, ?, now() - make_interval(secs => ?)"
            + " FROM invoices WHERE public_id = ?";
    jdbc.sql(insert).params("a1a1a1a1a1a1a1a1a1a1a1a1", "test.sender.alice", 60, 3, id).update();
    jdbc.sql(insert).params("b2b2b2b2b2b2b2b2b2b2b2b2", null, 15, 2, id).update();
    jdbc.sql(insert).params("c3c3c3c3c3c3c3c3c3c3c3c3", null, 0, 1, id).update();
    String data =
        "INSERT INTO stream_data (connection_id, stream_id, \"offset\", data)"
            + " VALUES (decode(?, 'hex'), ?, ?, ?)";
    // Out of order on purpose: the memo is in (stream, offset) order; bad UTF-8 becomes U+FFFD.
    jdbc.sql(data).params("a1a1a1a1a1a1a1a1a1a1a1a1", 3, 0, new byte[] {(byte) 0xff}).update();
    jdbc.sql(data).params("a1a1a1a1a1a1a1a1a1a1a1a1", 1, 6, "#42 ".getBytes()).update();
    jdbc.sql(data).params("a1a1a1a1a1a1a1a1a1a1a1a1", 1, 0, "Order ".getBytes()).update();

    JsonNode payments = ok(acme.get("/v1/invoices/" + id)).get("payments");
    assertThat(payments.size()).isEqualTo(2);
    JsonNode first = payments.get(0);
    assertThat(first.get("connection_id").asString()).isEqualTo("a1a1a1a1a1a1a1a1a1a1a1a1");
    assertThat(first.get("source_address").asString()).isEqualTo("test.sender.alice");
    assertThat(first.get("amount").asString()).isEqualTo("60");
    assertThat(first.get("memo").asString()).isEqualTo("Order #42 \uFFFD");
    assertThat(Instant.parse(first.get("opened_at").asString())).isBefore(Instant.now());
    JsonNode second = payments.get(1);
    assertThat(second.get("connection_id").asString()).isEqualTo("b2b2b2b2b2b2b2b2b2b2b2b2");
    assertThat(second.get("amount").asString()).isEqualTo("15");
    assertThat(second.get("memo").isNull()).isTrue();
    assertThat(second.get("source_address").isNull()).isTrue();
  }

  @Test
  void anotherMerchantsInvoiceIsNotFound() {
    String id = create(acme, "{\"account\":\"acme-usd\",\"amount\":\"10\"}").get("id").asString();
    assertProblem(other.get("/v1/invoices/" + id), 404, "unknown-invoice");
    assertProblem(other.post("/v1/invoices/" + id + "/cancel", ""), 404, "unknown-invoice");
    assertThat(ids(ok(other.get("/v1/invoices?limit=100")))).doesNotContain(id);
    assertThat(ok(acme.get("/v1/invoices/" + id)).get("state").asString()).isEqualTo("pending");
    assertProblem(acme.get("/v1/invoices/inv_aaaaaaaaaaaaaaaaaaaaaaaaaa"), 404, "unknown-invoice");
    assertProblem(acme.get("/v1/invoices/not-an-id"), 404, "unknown-invoice");
  }

  @Test
  void theApiNeedsAValidKey() {
    HttpResponse<String> none =
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/v1/invoices"))));
    assertProblem(none, 401, "unauthorized");
    HttpResponse<String> wrong =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/v1/invoices")))
                .header("Authorization", "Bearer inlet_" + "A".repeat(43)));
    assertProblem(wrong, 401, "unauthorized");
    HttpResponse<String> admin =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/v1/invoices")))
                .header("Authorization", "Bearer " + inlet.admin)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"account\":\"acme-usd\",\"amount\":\"1\"}")));
    assertProblem(admin, 401, "unauthorized");
  }

  @Test
  void badInputIsAProblemAndWritesNothing() {
    MerchantClient careful = MerchantClient.create(inlet, "careful", "careful-usd");
    String ok = "\"account\":\"careful-usd\"";
    Instant now = Instant.now();
    String[][] cases = {
      {"{" + ok + ",\"amount\":\"0\"}", "400", "invalid-amount"},
      {"{" + ok + ",\"amount\":\"-1\"}", "400", "invalid-amount"},
      {"{" + ok + ",\"amount\":\"1.5\"}", "400", "invalid-amount"},
      {"{" + ok + ",\"amount\":\"1e3\"}", "400", "invalid-amount"},
      {"{" + ok + ",\"amount\":\"18446744073709551616\"}", "400", "invalid-amount"},
      {"{" + ok + ",\"amount\":100}", "400", "invalid-amount"},
      {"{" + ok + "}", "400", "invalid-amount"},
      {"{\"account\":\"nope\",\"amount\":\"1\"}", "422", "unknown-account"},
      {"{\"account\":\"acme-usd\",\"amount\":\"1\"}", "422", "unknown-account"},
      {"{\"account\":\"nobodys\",\"amount\":\"1\"}", "422", "unknown-account"},
      {"{\"account\":\"has space\",\"amount\":\"1\"}", "422", "unknown-account"},
      {"{\"amount\":\"1\"}", "400", "invalid-account"},
      {
        "{" + ok + ",\"amount\":\"1\",\"expires_at\":\"" + now.minusSeconds(60) + "\"}",
        "422",
        "invalid-expires-at"
      },
      {
        "{" + ok + ",\"amount\":\"1\",\"expires_at\":\"" + now.plus(31, ChronoUnit.DAYS) + "\"}",
        "422",
        "invalid-expires-at"
      },
      {"{" + ok + ",\"amount\":\"1\",\"expires_at\":\"tomorrow\"}", "400", "invalid-expires-at"},
      {
        "{" + ok + ",\"amount\":\"1\",\"metadata\":{\"x\":\"" + "m".repeat(4_100) + "\"}}",
        "422",
        "metadata-too-large"
      },
      {"{" + ok + ",\"amount\":\"1\",\"metadata\":[1]}", "400", "invalid-metadata"},
      {
        "{" + ok + ",\"amount\":\"1\",\"description\":\"" + "d".repeat(1_001) + "\"}",
        "400",
        "invalid-description"
      },
      {"{" + ok + ",\"amount\":\"1\",\"reference\":7}", "400", "invalid-reference"},
      {"{" + ok + ",\"amount\":\"1\",\"expiresAt\":\"x\"}", "400", "unknown-field"},
      {"{" + ok + ",\"amount\":", "400", "invalid-request-body"},
      {"[]", "400", "invalid-request-body"},
    };
    for (String[] c : cases) {
      assertProblem(careful.post("/v1/invoices", c[0]), Integer.parseInt(c[1]), c[2]);
    }
    assertThat(ok(careful.get("/v1/invoices")).get("items").size()).isZero();
    assertThat(
            count(
                "SELECT count(*) FROM invoices i JOIN merchants m ON m.id = i.merchant_id"
                    + " WHERE m.name = 'careful'"))
        .isZero();
    // The boundaries themselves are accepted.
    create(
        careful,
        "{" + ok + ",\"amount\":\"1\",\"expires_at\":\"" + now.plus(29, ChronoUnit.DAYS) + "\"}");
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("items").forEach(item -> ids.add(item.get("id").asString()));
    return ids;
  }

  private static long count(String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }

  private static HttpResponse<String> spsp(String path, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(inlet.url(path)))
            .header("Accept", "application/spsp4+json");
    headers.forEach(b::header);
    return inlet.send(b);
  }
}
