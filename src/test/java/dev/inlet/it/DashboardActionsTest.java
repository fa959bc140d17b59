package dev.inlet.it;

import static dev.inlet.it.MerchantClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's actions and tables over HTTP, as its forms send them: a failed webhook delivery
 * shown with its status and retried from its endpoint's page (delivered on the retry, attempts
 * counted from zero), the in-doubt resolution's answers, and the tables' filters, search and
 * refused query values.
 */
class DashboardActionsTest {
  static final Duration wait = Duration.ofSeconds(20);
  static final Pattern csrfField = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  @TempDir static Path dir;
  static TestInlet inlet;
  static String cookie;
  static String csrf;

  @BeforeAll
  static void start() {
    inlet =
        TestInlet.start(
            dir,
            Map.of(
                "inlet.webhook.allow-private", "true",
                "inlet.webhook.max-attempts", "1",
                "inlet.webhook.timeout", "2s"));
    HttpResponse<String> signIn =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/admin/sign-in")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "token=" + URLEncoder.encode(inlet.admin, StandardCharsets.UTF_8))));
    String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
    cookie = setCookie.substring(0, setCookie.indexOf(';'));
    Matcher m = csrfField.matcher(page("/admin/ui/events").body());
    assertThat(m.find()).isTrue();
    csrf = m.group(1);
  }

  @AfterAll
  static void stop() {
    inlet.close();
  }

  @Test
  void aFailedDeliveryIsShownAndRetriedFromItsEndpointsPage() {
    MerchantClient shop = MerchantClient.create(inlet, "bakery", "bakery-usd");
    try (WebhookReceiver receiver = new WebhookReceiver(n -> n == 1 ? 503 : 200)) {
      JsonNode hook =
          WebhookApi.createWebhook(inlet, shop.apiKey, receiver.url(), "invoice.cancelled");
      receiver.secret(hook.get("secret").asString());
      String webhook = hook.get("id").asString();
      String invoice =
          MerchantClient.ok(
                  shop.post("/v1/invoices", "{\"account\":\"bakery-usd\",\"amount\":\"100\"}"))
              .get("id")
              .asString();
      MerchantClient.ok(shop.post("/v1/invoices/" + invoice + "/cancel", ""));
      WebhookApi.await(
          wait,
          "the delivery to fail",
          () -> WebhookApi.firstState(inlet, shop.apiKey, webhook).equals("failed"));
      String delivery =
          WebhookApi.deliveries(inlet, shop.apiKey, webhook).get(0).get("id").asString();

      String list = page("/admin/ui/webhooks?health=failed").body();
      assertThat(list).contains(webhook).contains(receiver.url());
      assertThat(page("/admin/ui/webhooks?health=pending").body()).doesNotContain(webhook);
      String endpoint = page("/admin/ui/webhooks/" + webhook).body();
      assertThat(endpoint)
          .contains(delivery)
          .contains("invoice.cancelled")
          .contains(">503<")
          .contains("/deliveries/" + delivery + "/retry");

      HttpResponse<String> retried =
          post("/admin/ui/webhooks/" + webhook + "/deliveries/" + delivery + "/retry", "");
      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(303);
      assertThat(retried.headers().firstValue("Location"))
          .hasValue("/admin/ui/webhooks/" + webhook);
      WebhookApi.await(
          wait,
          "the retried delivery",
          () -> WebhookApi.firstState(inlet, shop.apiKey, webhook).equals("delivered"));
      JsonNode after = WebhookApi.deliveries(inlet, shop.apiKey, webhook).get(0);
      assertThat(after.get("attempts").asInt()).isEqualTo(1); // counted from zero again
      assertThat(after.get("last_status").asInt()).isEqualTo(200);
      assertThat(receiver.received).hasSize(2);
      assertThat(receiver.received.get(1).signatureValid()).isTrue();
      assertProblem(
          post("/admin/ui/webhooks/" + webhook + "/deliveries/" + delivery + "/retry", ""),
          409,
          "delivery-already-delivered");
      assertProblem(
          post("/admin/ui/webhooks/" + webhook + "/deliveries/whd_unknown/retry", ""),
          404,
          "unknown-webhook");

      // The event's page shows it as sent and its delivery.
      String events = page("/admin/ui/events?type=invoice.cancelled&q=" + invoice).body();
      Matcher id = Pattern.compile("/admin/ui/events/(\\d+)").matcher(events);
      assertThat(id.find()).isTrue();
      assertThat(page("/admin/ui/events/" + id.group(1)).body())
          .contains("&quot;state&quot; : &quot;cancelled&quot;")
          .contains(delivery);
    }
  }

  @Test
  void resolvingAPacketThatIsNotInDoubtChangesNothing() {
    String path = "/admin/ui/payouts/po_unknown/packets/1/resolve";
    assertProblem(post(path, "outcome=rejected"), 409, "packet-not-in-doubt");
    assertProblem(post(path, "outcome=lost"), 400, "invalid-outcome");
    assertProblem(post(path, "outcome=fulfilled&delivered=-1"), 400, "invalid-amount");
    assertProblem(post(path, "outcome=fulfilled"), 400, "invalid-amount");
    assertProblem(
        post("/admin/ui/payouts/po_unknown/packets/x/resolve", "outcome=rejected"),
        404,
        "unknown-packet");
    assertThat(page(path).body()).contains("Resolve packet").contains("po_unknown");
  }

  @Test
  void tablesFilterSearchAndPageAndRefuseOtherValues() {
    MerchantClient shop = MerchantClient.create(inlet, "grocer", "grocer-usd");
    String open = invoice(shop, "apples");
    String cancelled = invoice(shop, "pears");
    MerchantClient.ok(shop.post("/v1/invoices/" + cancelled + "/cancel", ""));
    String pending = page("/admin/ui/invoices?state=pending").body();
    assertThat(pending).contains(open).doesNotContain(cancelled);
    assertThat(page("/admin/ui/invoices?q=PEARS").body()).contains(cancelled).doesNotContain(open);
    assertThat(page("/admin/ui/invoices?q=grocer&state=cancelled&page=1").body())
        .contains(cancelled)
        .doesNotContain(open);
    // A search is text, not a pattern: % matches only a "%".
    assertThat(page("/admin/ui/invoices?q=%25").body()).doesNotContain(open);
    for (String query :
        new String[] {
          "state=paid",
          "page=0",
          "page=1001",
          "page=x",
          "q=" + "a".repeat(101),
          "sort=id",
          "state=pending&state=expired"
        }) {
      assertProblem(page("/admin/ui/invoices?" + query), 400, "invalid-query");
    }
    assertProblem(page("/admin/ui/invoices/inv_nothing"), 404, "unknown-invoice");
    assertProblem(page("/admin/ui/payments/zz"), 404, "unknown-payment");
    assertProblem(page("/admin/ui/events/123456789"), 404, "unknown-event");
  }

  @Test
  void aVoucherIsShownAndRevokedFromItsPage() throws Exception {
    PayoutClient.fund(inlet, "giver", 5_000);
    String id =
        TestInlet.json
            .readTree(
                inlet
                    .adminPost(
                        "/admin/vouchers",
                        "{\"account\":\"giver\",\"amount\":\"1200\",\"note\":\"for Ada\"}")
                    .body())
            .get("id")
            .asString();
    assertThat(page("/admin/ui/vouchers?state=active").body()).contains(id).contains("for Ada");
    assertThat(page("/admin").body()).contains("Outstanding vouchers").contains("0.000001200 USD");
    assertThat(page("/admin/ui/vouchers?state=revoked").body()).doesNotContain(id);
    String detail = page("/admin/ui/vouchers/" + id).body();
    assertThat(detail).contains("Revoke voucher").contains("0.000001200 USD");
    assertThat(page("/admin/ui/vouchers/" + id + "/revoke").body())
        .contains("Revoke voucher " + id);
    assertThat(inlet.balance("giver")).isEqualTo(3_800);

    HttpResponse<String> revoked = post("/admin/ui/vouchers/" + id + "/revoke", "");
    assertThat(revoked.statusCode()).isEqualTo(303);
    assertThat(page("/admin/ui/vouchers/" + id).body())
        .contains("b-revoked")
        .doesNotContain("Revoke voucher");
    assertThat(inlet.balance("giver")).isEqualTo(5_000);
    assertProblem(post("/admin/ui/vouchers/vch_nothing/revoke", ""), 404, "unknown-voucher");
    PayoutClient.assertLedgerConsistent(inlet);
  }

  private static String invoice(MerchantClient shop, String description) {
    return MerchantClient.ok(
            shop.post(
                "/v1/invoices",
                "{\"account\":\""
                    + shop.name
                    + "-usd\",\"amount\":\"700\",\"description\":\""
                    + description
                    + "\"}"))
        .get("id")
        .asString();
  }

  private static HttpResponse<String> page(String path) {
    return inlet.send(
        HttpRequest.newBuilder(URI.create(inlet.url(path))).header("Cookie", cookie).GET());
  }

  private static HttpResponse<String> post(String path, String form) {
    return inlet.send(
        HttpRequest.newBuilder(URI.create(inlet.url(path)))
            .header("Cookie", cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "_csrf=" + csrf + (form.isEmpty() ? "" : "&" + form))));
  }
}
