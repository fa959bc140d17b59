package dev.inlet.it;

import static dev.inlet.it.MerchantClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.interledger.stream.SendMoneyResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Eight senders pay one invoice at once through two Inlet replicas sharing one PostgreSQL, offering
 * more than twice its amount: exactly the amount is credited, the invoice completes once, the
 * ledger check passes, and a live event stream on one replica sees the completion written by
 * either.
 */
class InvoiceRaceTest {
  @TempDir static Path dir;
  static TwoReplicas replicas;
  static TestInlet first;
  static TestInlet second;

  @BeforeAll
  static void start() throws Exception {
    replicas = TwoReplicas.start(dir, Map.of());
    first = replicas.first;
    second = replicas.second;
  }

  @AfterAll
  static void stop() throws Exception {
    replicas.close();
  }

  @Test
  void eightSendersThroughTwoReplicasCreditExactlyTheInvoicesAmount() throws Exception {
    MerchantClient shop = MerchantClient.create(first, "racer", "racer-usd");
    HttpResponse<String> created =
        shop.post("/v1/invoices", "{\"account\":\"racer-usd\",\"amount\":\"100000\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = TestInlet.json.readTree(created.body()).get("id").asString();
    String path = "/invoices/" + id;

    try (SseClient live = SseClient.open(second.url("/v1/events"), shop.apiKey)) {
      live.awaitSubscribed();
      ExecutorService senders = Executors.newFixedThreadPool(8);
      List<Future<SendMoneyResult>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        TestInlet resolvedOn = i % 2 == 0 ? first : second;
        results.add(
            senders.submit(
                () ->
                    QuiltSender.payTo(
                        List.of(first.ilpUrl(), second.ilpUrl()),
                        TestInlet.connectorToken,
                        QuiltSender.resolve("$localhost:" + resolvedOn.port + path),
                        30_000,
                        1_000,
                        Duration.ofSeconds(20))));
      }
      long delivered = 0;
      for (Future<SendMoneyResult> r : results) {
        delivered += r.get().amountDelivered().longValue();
      }
      senders.shutdown();

      assertThat(delivered).isEqualTo(100_000);
      MerchantClient onSecond = shop.on(second);
      JsonNode invoice = ok(onSecond.get("/v1/invoices/" + id));
      assertThat(invoice.get("state").asString()).isEqualTo("completed");
      assertThat(invoice.get("received").asString()).isEqualTo("100000");
      long paid = 0;
      for (JsonNode p : invoice.get("payments")) {
        paid += Long.parseLong(p.get("amount").asString());
      }
      assertThat(paid).isEqualTo(100_000);
      assertThat(first.balance("racer-usd")).isEqualTo(100_000);
      assertThat(first.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
      assertThat(second.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);

      // The completion reaches the stream on the second replica, whichever replica wrote it.
      int completions = 0;
      for (SseClient.Message m = live.nextEvent(Duration.ofSeconds(5));
          m != null && m != SseClient.end;
          m = live.nextEvent(Duration.ofSeconds(1))) {
        if (m.event().equals("invoice.completed")) {
          completions++;
          assertThat(TestInlet.json.readTree(m.data()).get("data").get("id").asString())
              .isEqualTo(id);
        }
      }
      assertThat(completions).isEqualTo(1);
    }
  }
}
