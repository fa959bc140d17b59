package dev.inlet.it;

import static dev.inlet.it.MerchantClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may use the admin dashboard: only a browser signed in with the admin token, and for a form's
 * POST only with its session's CSRF token. Every page and action refuses anonymous requests,
 * merchant API keys and the admin bearer token itself; the admin JSON API refuses the session
 * cookie. (Throttling of wrong tokens: {@link DashboardThrottleTest}.)
 */
class DashboardAccessTest extends InletPerClass {
  static final List<String> pages =
      List.of(
          "/admin/ui/live",
          "/admin/ui/live/stream",
          "/admin/ui/invoices",
          "/admin/ui/invoices/inv_x",
          "/admin/ui/invoices/inv_x/cancel",
          "/admin/ui/payments",
          "/admin/ui/payments/00112233445566778899aabb",
          "/admin/ui/payouts",
          "/admin/ui/payouts/po_x",
          "/admin/ui/payouts/po_x/packets/1/resolve",
          "/admin/ui/events",
          "/admin/ui/events/1",
          "/admin/ui/webhooks",
          "/admin/ui/webhooks/wh_x");

  static final List<String> actions =
      List.of(
          "/admin/ui/invoices/inv_x/cancel",
          "/admin/ui/payouts/po_x/packets/1/resolve",
          "/admin/ui/webhooks/wh_x/deliveries/whd_x/retry",
          "/admin/sign-out");

  static final Pattern csrfField = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private static MerchantClient acme;

  @BeforeAll
  static void createMerchant() {
    acme = MerchantClient.create(inlet, "acme", "acme-usd");
  }

  @Test
  void everyPageSendsAnyoneWithoutASessionToTheSignInForm() {
    for (String page : pages) {
      for (Map<String, String> credentials : notASession()) {
        HttpResponse<String> r = get(page, credentials);
        assertThat(r.statusCode()).as(page + " " + credentials.keySet()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/admin");
        assertThat(r.body()).isEmpty();
      }
    }
    HttpResponse<String> form = get("/admin", Map.of("Authorization", "Bearer " + acme.apiKey));
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).contains("name=\"token\"").doesNotContain("Overview");
  }

  @Test
  void everyActionRefusesAnyoneWithoutASession() {
    for (String action : actions) {
      for (Map<String, String> credentials : notASession()) {
        HttpResponse<String> r = post(action, credentials, "_csrf=anything&outcome=rejected");
        assertProblem(r, 401, "sign-in-required");
      }
    }
  }

  @Test
  void everyActionRefusesAMissingOrForgedCsrfToken() {
    String cookie = signIn();
    String otherSessionsToken = csrf(signIn());
    String invoice = invoice();
    List<String> all = List.of("/admin/ui/invoices/" + invoice + "/cancel");
    for (String action : concat(all, actions)) {
      for (String body :
          List.of(
              "",
              "_csrf=",
              "_csrf=forged",
              "_csrf=" + otherSessionsToken,
              "outcome=rejected&token=" + URLEncoder.encode(inlet.admin, StandardCharsets.UTF_8))) {
        HttpResponse<String> r = post(action, Map.of("Cookie", cookie), body);
        assertProblem(r, 403, "invalid-csrf-token");
      }
    }
    assertThat(state(invoice)).isEqualTo("pending");
    // The session's own token works: the invoice is cancelled, and the session is still valid.
    HttpResponse<String> cancelled =
        post(
            "/admin/ui/invoices/" + invoice + "/cancel",
            Map.of("Cookie", cookie),
            "_csrf=" + csrf(cookie));
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(303);
    assertThat(state(invoice)).isEqualTo("cancelled");
    assertProblem(
        post(
            "/admin/ui/invoices/" + invoice + "/cancel",
            Map.of("Cookie", cookie),
            "_csrf=" + csrf(cookie)),
        409,
        "invoice-not-cancellable");
  }

  @Test
  void theJsonApiRefusesTheSessionCookie() {
    String cookie = signIn();
    for (String path :
        List.of(
            "/admin/accounts/acme-usd",
            "/admin/accounts/acme-usd/connections",
            "/admin/ledger/check",
            "/admin/merchants/acme",
            "/admin/payouts/in-doubt")) {
      HttpResponse<String> r = get(path, Map.of("Cookie", cookie));
      assertProblem(r, 401, "unauthorized");
    }
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
  }

  @Test
  void signInSetsAStrictHttpOnlyCookieAndSignOutEndsTheSession() {
    HttpResponse<String> r = signInResponse(inlet.admin);
    assertThat(r.statusCode()).isEqualTo(303);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("inlet_admin=")
        .containsIgnoringCase("; HttpOnly")
        .contains("; Path=/admin", "; Max-Age=28800", "; SameSite=Strict")
        .doesNotContain("Secure"); // plain HTTP here; DashboardAuthTest covers HTTPS
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<String> page = get("/admin/ui/invoices", Map.of("Cookie", cookie));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'", "frame-ancestors 'none'");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");

    HttpResponse<String> out =
        post("/admin/sign-out", Map.of("Cookie", cookie), "_csrf=" + csrf(cookie));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(get("/admin/ui/invoices", Map.of("Cookie", cookie)).statusCode()).isEqualTo(303);
  }

  /** Credentials that are not a dashboard session. */
  private static List<Map<String, String>> notASession() {
    return List.of(
        Map.of(),
        Map.of("Authorization", "Bearer " + acme.apiKey),
        Map.of("Authorization", "Bearer " + inlet.admin),
        Map.of("Cookie", "inlet_admin=AAAAAGlHnoIAAAAAAAAAAAAAAAAAAAAA.AAAA"),
        Map.of("Cookie", "inlet_admin=" + acme.apiKey));
  }

  private static String invoice() {
    return MerchantClient.ok(
            acme.post("/v1/invoices", "{\"account\":\"acme-usd\",\"amount\":\"1000\"}"))
        .get("id")
        .asString();
  }

  private static String state(String invoice) {
    return MerchantClient.ok(acme.get("/v1/invoices/" + invoice)).get("state").asString();
  }

  private static String signIn() {
    HttpResponse<String> r = signInResponse(inlet.admin);
    assertThat(r.statusCode()).isEqualTo(303);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static String csrf(String cookie) {
    HttpResponse<String> page = get("/admin/ui/invoices", Map.of("Cookie", cookie));
    Matcher m = csrfField.matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    return m.group(1);
  }

  private static HttpResponse<String> signInResponse(String token) {
    return signInResponse(inlet, token);
  }

  static HttpResponse<String> signInResponse(TestInlet target, String token) {
    return target.send(
        HttpRequest.newBuilder(URI.create(target.url("/admin/sign-in")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))));
  }

  private static HttpResponse<String> get(String path, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(inlet.url(path))).GET();
    headers.forEach(b::header);
    return inlet.send(b);
  }

  private static HttpResponse<String> post(String path, Map<String, String> headers, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(inlet.url(path)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return inlet.send(b);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
