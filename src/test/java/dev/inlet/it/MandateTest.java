package dev.inlet.it;

import static dev.inlet.it.MerchantClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Pull-payment mandates (RFC 0036) pulled by the JavaScript reference STREAM client ({@link
 * PullClients}): what each interval allows, the totals per cycle, and a revoke that stops a pull
 * being sent. Each case ends with the ledger check.
 */
class MandateTest extends PullClientsPerClass {

  @Test
  void aMandateIsPulledUpToItsAmountPerInterval() throws Exception {
    fund("gus", 10_000);
    HttpResponse<String> r =
        inlet.adminPost(
            "/admin/mandates",
            "{\"account\":\"gus\",\"amount\":\"100\",\"interval\":\"PT20S\",\"cycles\":3}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode mandate = TestInlet.json.readTree(r.body());
    String path = "/mandates/" + mandate.get("code").asString();
    Instant start = Instant.parse(mandate.get("start").asString());
    assertThat(mandate.get("available").asString()).isEqualTo("100");

    long first = pull(path, 30);
    long second = pull(path, 30);
    long third = pull(path, 60); // only 40 are left in this interval
    assertThat(List.of(first, second, third)).containsExactly(30L, 30L, 40L);
    assertThat(Instant.now()).isBefore(start.plusSeconds(20));
    JsonNode spent = admin("/admin/mandates/" + mandate.get("id").asString());
    assertThat(spent.get("available").asString()).isEqualTo("0");

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), start.plusSeconds(20)).toMillis()));
    long fourth = pull(path, 500);
    assertThat(fourth).isEqualTo(100);

    JsonNode totals = admin("/admin/mandates/" + mandate.get("id").asString());
    assertThat(totals.get("cycles_pulled").size()).isEqualTo(2);
    assertThat(totals.at("/cycles_pulled/0/pulled").asString()).isEqualTo("100");
    assertThat(totals.at("/cycles_pulled/1/pulled").asString()).isEqualTo("100");
    assertThat(totals.at("/cycles_pulled/1/cycle").asInt()).isEqualTo(2);
    assertThat(inlet.balance("gus")).isEqualTo(10_000 - 200);

    HttpResponse<String> revoked =
        inlet.adminPost("/admin/mandates/" + mandate.get("id").asString() + "/revoke", "");
    assertThat(TestInlet.json.readTree(revoked.body()).get("state").asString())
        .isEqualTo("revoked");
    assertProblem(inlet.send(get(path)), 410, "mandate-revoked");
  }

  @Test
  void revokingAMandateStopsThePullBeingSent() throws Exception {
    fund("ivy", 100_000);
    HttpResponse<String> r =
        inlet.adminPost(
            "/admin/mandates", "{\"account\":\"ivy\",\"amount\":\"50000\",\"interval\":\"P1D\"}");
    JsonNode mandate = TestInlet.json.readTree(r.body());
    String path = "/mandates/" + mandate.get("code").asString();
    // A narrow, slow path: 10 units a packet, 20 ms each: 50,000 would take well over a minute.
    clients.path(10, Duration.ofMillis(20));
    try {
      CompletableFuture<Long> pulled =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return clients
                      .redeem(List.of(inlet), path, 50_000, 1, Duration.ofSeconds(30))
                      .get(0)
                      .received();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(3_000);
      HttpResponse<String> revoked =
          inlet.adminPost("/admin/mandates/" + mandate.get("id").asString() + "/revoke", "");
      assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
      long got = pulled.get(60, TimeUnit.SECONDS);
      assertThat(got).isPositive().isLessThan(50_000);

      // The pull ends (what it did not send released) just after the client saw its stream end.
      for (int i = 0; i < 100 && PayoutClient.reserved(inlet, "ivy") != 0; i++) {
        Thread.sleep(100);
      }
      JsonNode after = admin("/admin/mandates/" + mandate.get("id").asString());
      assertThat(after.get("state").asString()).isEqualTo("revoked");
      assertThat(after.at("/cycles_pulled/0/pulled").asString()).isEqualTo(Long.toString(got));
      assertThat(inlet.balance("ivy")).isEqualTo(100_000 - got);
      assertThat(PayoutClient.reserved(inlet, "ivy")).isZero();
    } finally {
      clients.path(0, Duration.ZERO);
    }
  }

  private static long pull(String path, long receiveMax) throws Exception {
    return clients
        .redeem(List.of(inlet), path, receiveMax, 1, Duration.ofSeconds(10))
        .get(0)
        .received();
  }

  private static JsonNode admin(String adminPath) {
    HttpResponse<String> r = inlet.adminGet(adminPath);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
  }

  private static HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(inlet.url(path))).GET();
  }
}
