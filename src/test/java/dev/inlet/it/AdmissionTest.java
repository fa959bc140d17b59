package dev.inlet.it;

import static dev.inlet.it.MerchantClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.interledger.stream.SendMoneyResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Admission control, one test per reason, with real senders (raw STREAM packets and Quilt): each
 * refusal names its reason where the sender sees it (problem type, ILP code and ConnectionClose),
 * and the check endpoint agrees with what happens. The client address here is the loopback peer, a
 * trusted proxy: queries that send {@code X-Forwarded-For} count as that client.
 */
class AdmissionTest {
  @TempDir static Path dataDir;
  static TestInlet inlet;
  static MerchantClient merchant;

  @BeforeAll
  static void start() {
    inlet =
        TestInlet.start(
            dataDir,
            Map.of(
                "inlet.trusted-proxies", "127.0.0.1,::1",
                "inlet.spsp-rate-per-client", "5",
                "inlet.spsp-burst-per-client", "10",
                "inlet.api-rate-per-key", "5",
                "inlet.api-burst-per-key", "10"));
    merchant =
        MerchantClient.create(
            inlet, "acme", "quota", "flow", "guarded", "capped", "senders", "billed");
  }

  @AfterAll
  static void stop() {
    inlet.close();
  }

  @Test
  void spspQueriesPastThePerClientRateGet429SenderQuota() {
    inlet.createAccount("popular", null);
    for (int i = 0; i < 10; i++) {
      assertThat(spsp("/popular", "203.0.113.7").statusCode()).isEqualTo(200);
    }
    HttpResponse<String> refused = spsp("/popular", "203.0.113.7");
    assertProblem(refused, 429, "sender-quota");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    // A browser's query (Web Monetization) can read why: the refusal carries CORS.
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    // Every payment pointer path counts against the same client; the dashboard's page does not.
    assertProblem(spsp("/invoices/inv_unknown", "203.0.113.7"), 429, "sender-quota");
    assertProblem(spsp("/vouchers/unknown", "203.0.113.7"), 429, "sender-quota");
    assertThat(spsp("/admin", "203.0.113.7").statusCode()).isEqualTo(200);
    // Another client, and the loopback proxy itself, are served meanwhile.
    assertThat(spsp("/popular", "203.0.113.8").statusCode()).isEqualTo(200);
    assertThat(spsp("/popular", null).statusCode()).isEqualTo(200);
    assertThat(refusals()).contains("\"who\":\"203.0.113.7\"", "\"reason\":\"sender-quota\"");
    assertThat(prometheus())
        .containsPattern(
            "inlet_admission_refusals_total\\{[^}]*reason=\"sender-quota\"[^}]*where=\"spsp\"[^}]*\\} [1-9]");
  }

  @Test
  void anAccountAtItsConnectionQuotaRefusesANewConnectionAndServesTheOpenOnes() throws Exception {
    setLimits("quota", "{\"max_open_connections\":1}");
    TestSender open = TestSender.open(inlet, "quota");
    assertThat(open.send(100, new StreamMoney(1, 1)).fulfilled()).isTrue();
    Thread.sleep(1_100); // the count is reused for a second
    assertThat(check("quota", "")).isEqualTo("receiver-quota");
    assertProblem(spsp("/quota", "198.51.100.1"), 429, "receiver-quota");
    // The connection already open is served on.
    assertThat(open.send(100, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(inlet.balance("quota")).isEqualTo(200);
    // Raised, the account takes a second connection again.
    setLimits("quota", "{\"max_open_connections\":2}");
    assertThat(check("quota", "")).isNull();
    assertThat(spsp("/quota", "198.51.100.1").statusCode()).isEqualTo(200);
  }

  @Test
  void aSenderOverTheFlowRateGetsT05AndSlowedDownCompletes() throws Exception {
    setLimits("flow", "{\"connection_flow_rate\":\"1000\"}");
    assertThat(check("flow", "?flow_rate=1001")).isEqualTo("flow-rate");
    assertThat(check("flow", "?flow_rate=1000")).isNull();
    TestSender sender = TestSender.open(inlet, "flow");
    // 1000 a second, refilled each second: the first 600 pass, 600 more at once do not.
    IlpPrepare firstPrepare = sender.prepare(600, sender.nextSequence(), 0, new StreamMoney(1, 1));
    assertThat(sender.post(firstPrepare).fulfilled()).isTrue();
    IlpReject reject = sender.send(600, new StreamMoney(1, 1)).reject();
    assertThat(reject.code()).isEqualTo(IlpErrorCode.T05_RATE_LIMITED);
    assertThat(reject.message()).startsWith("flow-rate");
    // The connector's retry of the first Prepare (its Fulfill lost) is fulfilled again, not
    // refused T05, though the window is spent: it was counted once, and credited once.
    assertThat(sender.post(firstPrepare).fulfilled()).isTrue();
    assertThat(inlet.balance("flow")).isEqualTo(600);
    Thread.sleep(1_100);
    assertThat(sender.send(600, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(inlet.balance("flow")).isEqualTo(1200);

    // Quilt, told T05, retries until the rate lets it through: 4000 at 1000/s in packets of 250.
    long start = System.nanoTime();
    SendMoneyResult paid =
        QuiltSender.pay(
            inlet, "$localhost:" + inlet.port + "/flow", 4000, 250, Duration.ofSeconds(30));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(paid.amountDelivered().longValue()).isEqualTo(4000);
    assertThat(tookMillis).isGreaterThanOrEqualTo(2_000);
    assertThat(inlet.balance("flow")).isEqualTo(5200);
    assertThat(prometheus())
        .containsPattern("inlet_prepares_total\\{[^}]*code=\"T05\"[^}]*\\} [1-9]")
        .containsPattern(
            "inlet_admission_refusals_total\\{[^}]*reason=\"flow-rate\"[^}]*where=\"ilp\"[^}]*\\} [1-9]");
  }

  @Test
  void aBlockedPrefixGetsF99WithAConnectionCloseNamingTheReason() throws Exception {
    setLimits("guarded", "{\"deny_prefixes\":[\"g.evil\",\"test.sender\"]}");
    assertThat(check("guarded", "?source=g.evil.bob")).isEqualTo("sender-blocked");
    assertThat(check("guarded", "?source=g.evilness")).isNull();

    TestSender blocked = TestSender.open(inlet, "guarded");
    TestSender.Reply reply =
        blocked.send(
            100, new ConnectionNewAddress(IlpAddress.of("g.evil.alice")), new StreamMoney(1, 1));
    IlpReject reject = reply.reject();
    assertThat(reject.code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(reject.message()).isEqualTo("sender-blocked");
    assertThat(reply.stream().frames())
        .contains(new ConnectionClose(StreamErrorCode.APPLICATION_ERROR, "sender-blocked"));
    // The ledger closed the connection: later packets, without an address, take nothing either.
    assertThat(blocked.send(100, new StreamMoney(1, 1)).reject().code())
        .isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);

    TestSender allowed = TestSender.open(inlet, "guarded");
    assertThat(
            allowed
                .send(
                    100,
                    new ConnectionNewAddress(IlpAddress.of("g.evilness")),
                    new StreamMoney(1, 1))
                .fulfilled())
        .isTrue();
    assertThat(inlet.balance("guarded")).isEqualTo(100);

    // Quilt's sender announces test.sender: refused, nothing delivered.
    SendMoneyResult paid =
        QuiltSender.pay(
            inlet, "$localhost:" + inlet.port + "/guarded", 1000, 1000, Duration.ofSeconds(10));
    assertThat(paid.amountDelivered().longValue()).isZero();
    assertThat(inlet.balance("guarded")).isEqualTo(100);
    assertThat(refusals()).contains("\"who\":\"g.evil.alice\"", "\"reason\":\"sender-blocked\"");
  }

  @Test
  void aSenderOverItsMoneyPerSecondAcrossConnectionsGetsT05SenderQuota() throws Exception {
    setLimits("senders", "{\"sender_flow_rate\":\"1000\"}");
    assertThat(check("senders", "?source=g.alice&flow_rate=1001")).isEqualTo("sender-quota");
    assertThat(check("senders", "?source=g.alice&flow_rate=1000")).isNull();
    ConnectionNewAddress alice = new ConnectionNewAddress(IlpAddress.of("g.alice"));
    TestSender first = TestSender.open(inlet, "senders");
    TestSender second = TestSender.open(inlet, "senders");
    assertThat(first.send(600, alice, new StreamMoney(1, 1)).fulfilled()).isTrue();
    // g.alice's second connection draws on the same allowance: refused, for now.
    IlpReject reject = second.send(600, alice, new StreamMoney(1, 1)).reject();
    assertThat(reject.code()).isEqualTo(IlpErrorCode.T05_RATE_LIMITED);
    assertThat(reject.message()).startsWith("sender-quota");
    // Another sender is not held back by g.alice.
    TestSender bob = TestSender.open(inlet, "senders");
    assertThat(
            bob.send(600, new ConnectionNewAddress(IlpAddress.of("g.bob")), new StreamMoney(1, 1))
                .fulfilled())
        .isTrue();
    assertThat(inlet.balance("senders")).isEqualTo(1200);
    // A second later g.alice's second connection is let through, its address remembered.
    Thread.sleep(1_100);
    assertThat(second.send(600, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(second.send(600, new StreamMoney(1, 1)).reject().message())
        .startsWith("sender-quota");
    assertThat(inlet.balance("senders")).isEqualTo(1800);
    assertThat(refusals()).contains("\"who\":\"g.alice\"", "\"reason\":\"sender-quota\"");
  }

  @Test
  void anInvoicesConnectionsTakeItsAccountsLimits() throws Exception {
    setLimits(
        "billed",
        "{\"connection_flow_rate\":\"1000\",\"deny_prefixes\":[\"g.evil\"],"
            + "\"max_open_connections\":1}");
    JsonNode invoice =
        MerchantClient.ok(
            merchant.post("/v1/invoices", "{\"account\":\"billed\",\"amount\":\"100000\"}"));
    String pointer = "invoices/" + invoice.get("id").asString();
    TestSender payer = TestSender.open(inlet, pointer);
    assertThat(payer.send(600, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(payer.send(600, new StreamMoney(1, 1)).reject().message()).startsWith("flow-rate");
    TestSender blocked = TestSender.open(inlet, pointer);
    TestSender.Reply reply =
        blocked.send(
            100, new ConnectionNewAddress(IlpAddress.of("g.evil.mallory")), new StreamMoney(1, 1));
    assertThat(reply.reject().message()).isEqualTo("sender-blocked");
    assertThat(inlet.balance("billed")).isEqualTo(600);
    // The payer's connection is open (the blocked one was closed): the invoice's pointer, as the
    // account's, hands out no second.
    Thread.sleep(1_100); // the count is reused for a second
    assertProblem(spsp("/" + pointer, "198.51.100.9"), 429, "receiver-quota");
  }

  @Test
  void theDashboardShowsWhoIsRefusedAndWhy() {
    inlet.createAccount("shown", null);
    setLimits("shown", "{\"deny_prefixes\":[\"g.shown\"]}");
    TestSender sender = TestSender.open(inlet, "shown");
    assertThat(
            sender
                .send(
                    100,
                    new ConnectionNewAddress(IlpAddress.of("g.shown.eve")),
                    new StreamMoney(1, 1))
                .reject()
                .message())
        .isEqualTo("sender-blocked");
    String setCookie =
        DashboardAccessTest.signInResponse(inlet, inlet.admin)
            .headers()
            .firstValue("Set-Cookie")
            .orElseThrow();
    HttpResponse<String> page =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/admin/ui/refusals")))
                .header("Cookie", setCookie.substring(0, setCookie.indexOf(';')))
                .GET());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<td class=\"mono\">g.shown.eve</td>")
        .containsPattern(
            "<td>ilp</td>\\s*<td><span class=\"badge b-failed\">sender-blocked</span></td>");
  }

  @Test
  void aConnectionPastItsMaxAmountGetsF99AndStreamMaxMoneyTellsItsRoom() {
    inlet.createAccount("limited", null);
    setLimits("limited", "{\"max_connection_amount\":\"5000\"}");
    TestSender sender = TestSender.open(inlet, "limited");
    TestSender.Reply first = sender.send(3000, new StreamMoney(1, 1));
    assertThat(first.fulfilled()).isTrue();
    assertThat(first.stream().frames()).contains(new StreamMaxMoney(1, 5000, 3000));
    TestSender.Reply over = sender.send(2500, new StreamMoney(1, 1));
    assertThat(over.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(over.reject().message()).startsWith("max-amount");
    assertThat(over.stream().frames()).contains(new StreamMaxMoney(1, 5000, 3000));
    assertThat(sender.send(2000, new StreamMoney(1, 1)).fulfilled()).isTrue();
    assertThat(sender.send(1, new StreamMoney(1, 1)).reject().message()).startsWith("max-amount");
    // Another connection has its own 5000.
    assertThat(TestSender.open(inlet, "limited").send(5000, new StreamMoney(1, 1)).fulfilled())
        .isTrue();
    assertThat(inlet.balance("limited")).isEqualTo(10_000);
  }

  @Test
  void theCheckEndpointAnswersEachReasonAndRefusesBadInput() {
    setLimits("capped", "{\"max_connection_amount\":\"5000\",\"account_flow_rate\":\"300\"}");
    assertThat(check("capped", "?amount=5000")).isNull();
    assertThat(check("capped", "?amount=5001")).isEqualTo("max-amount");
    assertThat(check("capped", "?flow_rate=301")).isEqualTo("flow-rate");
    assertThat(check("capped", "?source=g.anyone&amount=10&flow_rate=10")).isNull();
    assertProblem(merchant.get("/v1/accounts/capped/admission?amount=-1"), 400, "invalid-amount");
    assertProblem(merchant.get("/v1/accounts/capped/admission?source=no"), 400, "invalid-address");
    inlet.createAccount("someone-elses", null);
    assertProblem(merchant.get("/v1/accounts/someone-elses/admission"), 404, "unknown-account");
    HttpResponse<String> bad =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/admin/accounts/capped/limits")))
                .header("Authorization", "Bearer " + inlet.admin)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"connection_flow_rate\":\"0\"}")));
    assertProblem(bad, 400, "invalid-amount");
  }

  @Test
  void merchantApiRequestsPastThePerKeyRateGet429WithRateLimitHeaders() {
    MerchantClient busy = MerchantClient.create(inlet, "busy", "busy-shop");
    HttpResponse<String> r = busy.get("/v1/accounts/busy-shop/admission");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("RateLimit-Limit")).hasValue("10");
    assertThat(r.headers().firstValue("RateLimit-Remaining")).hasValue("9");
    assertThat(r.headers().firstValue("RateLimit-Reset")).isPresent();
    HttpResponse<String> last = r;
    for (int i = 0; i < 10 && last.statusCode() == 200; i++) {
      last = busy.get("/v1/accounts/busy-shop/admission");
    }
    assertProblem(last, 429, "sender-quota");
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
    assertThat(last.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    // Another key is not affected.
    assertThat(merchant.get("/v1/accounts/capped/admission").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> spsp(String path, String forwardedFor) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(inlet.url(path)))
            .header("Accept", "application/spsp4+json")
            .header("Origin", "https://shop.example")
            .GET();
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    return inlet.send(b);
  }

  /** The check endpoint's reason, or null when it answers ok. */
  private static String check(String account, String query) {
    JsonNode body =
        MerchantClient.ok(merchant.get("/v1/accounts/" + account + "/admission" + query));
    if (body.get("ok").asBoolean()) {
      assertThat(body.has("reason")).isFalse();
      return null;
    }
    return body.get("reason").asString();
  }

  private static void setLimits(String account, String body) {
    HttpResponse<String> r =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/admin/accounts/" + account + "/limits")))
                .header("Authorization", "Bearer " + inlet.admin)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static String refusals() {
    HttpResponse<String> r = inlet.adminGet("/admin/admission/refusals");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private static String prometheus() {
    return inlet
        .send(HttpRequest.newBuilder(URI.create(inlet.managementUrl("/actuator/prometheus"))).GET())
        .body();
  }
}
