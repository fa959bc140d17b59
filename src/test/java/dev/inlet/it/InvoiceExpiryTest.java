package dev.inlet.it;

import static dev.inlet.it.MerchantClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.invoice.InvoiceExpiry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The expiry worker: an invoice expires at its {@code expires_at} with its {@code invoice.expired}
 * event, and workers running at once on one database (as on several replicas) expire each invoice
 * once.
 */
class InvoiceExpiryTest extends InletPerClass {
  private static MerchantClient merchant;
  private static JdbcClient jdbc;

  @BeforeAll
  static void createMerchant() {
    merchant = MerchantClient.create(inlet, "expiring", "expiring-usd");
    jdbc = JdbcClient.create(inlet.bean(DataSource.class));
  }

  @Test
  void anInvoiceExpiresAtItsTimeWithItsEvent() throws InterruptedException {
    Instant at = Instant.now().plusSeconds(2);
    JsonNode invoice =
        ok(
            merchant.post(
                "/v1/invoices",
                "{\"account\":\"expiring-usd\",\"amount\":\"10\",\"expires_at\":\"" + at + "\"}"));
    String id = invoice.get("id").asString();
    assertThat(invoice.get("state").asString()).isEqualTo("pending");
    JsonNode now = invoice;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (now.get("state").asString().equals("pending") && System.nanoTime() < deadline) {
      Thread.sleep(100);
      now = ok(merchant.get("/v1/invoices/" + id));
    }
    assertThat(now.get("state").asString()).isEqualTo("expired");
    assertThat(Instant.parse(now.get("ended_at").asString())).isAfterOrEqualTo(at.minusMillis(1));
    List<String> events =
        jdbc.sql(
                "SELECT data->>'state' FROM events WHERE type = 'invoice.expired' AND data->>'id' = ?")
            .param(id)
            .query(String.class)
            .list();
    assertThat(events).containsExactly("expired");
    MerchantClient.assertProblem(
        inlet.send(
            java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(inlet.url("/invoices/" + id)))),
        410,
        "invoice-expired");
  }

  @Test
  void workersOnOneDatabaseExpireEachInvoiceOnce() throws Exception {
    // 1,200 invoices due now (more than two transactions' worth), written here for speed. The
    // application's own worker races the two below.
    String template =
        ok(merchant.post("/v1/invoices", "{\"account\":\"expiring-usd\",\"amount\":\"5\"}"))
            .get("id")
            .asString();
    List<String> ids =
        new ArrayList<>(
            jdbc.sql(
                    "INSERT INTO invoices (public_id, account_id, merchant_id, amount, expires_at)"
                        + " SELECT 'inv_race' || g, account_id, merchant_id, amount, now()"
                        + " FROM invoices, generate_series(1, 1199) g WHERE public_id = ?"
                        + " RETURNING public_id")
                .param(template)
                .query(String.class)
                .list());
    jdbc.sql("UPDATE invoices SET expires_at = now() WHERE public_id = ?").param(template).update();
    ids.add(template);
    DataSource dataSource = inlet.bean(DataSource.class);
    InvoiceExpiry first = new InvoiceExpiry(dataSource);
    InvoiceExpiry second = new InvoiceExpiry(dataSource);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (InvoiceExpiry worker : List.of(first, second)) {
        runs.add(pool.submit((Callable<Integer>) worker::expireDue));
      }
      for (Future<Integer> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdown();
      first.close();
      second.close();
    }
    String[] array = ids.toArray(new String[0]);
    assertThat(
            jdbc.sql("SELECT count(*) FROM invoices WHERE public_id = ANY(?) AND state = 'expired'")
                .param(array)
                .query(Long.class)
                .single())
        .isEqualTo(ids.size());
    Map<String, Long> eventsPerInvoice = new java.util.HashMap<>();
    jdbc.sql(
            "SELECT data->>'id', count(*) FROM events WHERE type = 'invoice.expired'"
                + " AND data->>'id' = ANY(?) GROUP BY 1")
        .param(array)
        .query(
            rs -> {
              eventsPerInvoice.put(rs.getString(1), rs.getLong(2));
            });
    assertThat(eventsPerInvoice).hasSize(ids.size());
    assertThat(eventsPerInvoice.values()).allMatch(n -> n == 1);
  }
}
