package dev.inlet.load;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invoice mode's merchant: merchant {@value #merchant} with its API key, account {@value
 * LoadBenchmark#account} owned by it, one open invoice of {@value #invoiceAmount} (never reached)
 * per STREAM connection, a webhook to a {@link WebhookReceiver} in this process subscribed to
 * {@code --webhook-events}, and one live {@link EventStream}. Connections are opened with each
 * invoice's SPSP query ({@code GET /invoices/<id>}), so all invoices are paid at once.
 */
final class InvoiceRun implements AutoCloseable {
  static final String merchant = "bench-merchant";
  static final String invoiceAmount = "9000000000000000000";
  private static final JsonMapper json = JsonMapper.builder().build();
  private static final HttpClient http = HttpClient.newHttpClient();

  /** The webhook's event types for {@code --webhook-events}: invoice (the default) or all. */
  static List<String> webhookTypes(String webhookEvents) {
    List<String> invoice =
        List.of(
            "invoice.created",
            "invoice.processing",
            "invoice.completed",
            "invoice.expired",
            "invoice.cancelled");
    if (webhookEvents.equals("invoice")) {
      return invoice;
    }
    List<String> all = new ArrayList<>(invoice);
    all.add("payment.received");
    return all;
  }

  private final int port;
  private final String apiKey;
  final List<String> types;
  final List<String> spspPaths = new ArrayList<>();
  final WebhookReceiver webhook;

  /** The live stream, or null without one ({@code --event-stream=off}). */
  final EventStream events;

  private InvoiceRun(
      int port, String apiKey, List<String> types, WebhookReceiver webhook, boolean eventStream) {
    this.port = port;
    this.apiKey = apiKey;
    this.types = types;
    this.webhook = webhook;
    this.events = eventStream ? new EventStream(port, apiKey) : null;
  }

  /** Live stream events received so far (0 without a stream). */
  long streamed() {
    return events == null ? 0 : events.received.sum();
  }

  /**
   * Creates the merchant, its account, webhook and event stream, then {@code invoices} invoices.
   */
  static InvoiceRun setUp(
      InletProcess inlet, int invoices, String webhookEvents, boolean eventStream)
      throws IOException, InterruptedException {
    JsonNode m = created(inlet.adminPost("/admin/merchants", "{\"name\":\"" + merchant + "\"}"));
    created(
        inlet.adminPost(
            "/admin/accounts",
            "{\"name\":\"" + LoadBenchmark.account + "\",\"merchant\":\"" + merchant + "\"}"));
    List<String> types = webhookTypes(webhookEvents);
    WebhookReceiver receiver = new WebhookReceiver();
    InvoiceRun run;
    try {
      String apiKey = m.get("api_key").asString();
      JsonNode hook =
          created(
              post(
                  inlet.port(),
                  apiKey,
                  "/v1/webhooks",
                  json.writeValueAsString(Map.of("url", receiver.url(), "events", types))));
      receiver.secret(hook.get("secret").asString());
      run = new InvoiceRun(inlet.port(), apiKey, types, receiver, eventStream);
    } catch (RuntimeException | IOException | InterruptedException e) {
      receiver.close();
      throw e;
    }
    for (int i = 0; i < invoices; i++) {
      JsonNode invoice =
          created(
              post(
                  inlet.port(),
                  run.apiKey,
                  "/v1/invoices",
                  "{\"account\":\""
                      + LoadBenchmark.account
                      + "\",\"amount\":\""
                      + invoiceAmount
                      + "\",\"reference\":\"bench-"
                      + i
                      + "\"}"));
      run.spspPaths.add("/invoices/" + invoice.get("id").asString());
    }
    return run;
  }

  /**
   * The sum of the invoices' {@code received} and their states, read through {@code GET
   * /v1/invoices}.
   */
  record Totals(BigInteger received, int invoices, Map<String, Integer> states) {}

  Totals totals() throws IOException, InterruptedException {
    BigInteger sum = BigInteger.ZERO;
    int n = 0;
    Map<String, Integer> states = new java.util.TreeMap<>();
    String cursor = null;
    do {
      HttpResponse<String> r =
          get(
              "/v1/invoices?limit=100"
                  + (cursor == null
                      ? ""
                      : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET /v1/invoices: " + r.statusCode() + " " + r.body());
      }
      JsonNode page = json.readTree(r.body());
      for (JsonNode invoice : page.get("items")) {
        sum = sum.add(new BigInteger(invoice.get("received").asString()));
        states.merge(invoice.get("state").asString(), 1, Integer::sum);
        n++;
      }
      JsonNode next = page.get("next_cursor");
      cursor = next == null || next.isNull() ? null : next.asString();
    } while (cursor != null);
    return new Totals(sum, n, states);
  }

  /** SQL for the events the webhook is subscribed to. */
  String subscribedFilter() {
    return types.stream()
        .map(t -> "'" + t + "'")
        .reduce((a, b) -> a + ", " + b)
        .map(s -> "type IN (" + s + ")")
        .orElseThrow();
  }

  /**
   * After the load: waits up to {@code maxSeconds} for the webhook to receive every subscribed
   * event written, and records the backlog at the start and the last delivery's time.
   */
  void drain(InletProcess inlet, Result.InvoiceFigures f, int maxSeconds)
      throws SQLException, IOException, InterruptedException {
    long stop = System.currentTimeMillis();
    long subscribed = inlet.queryLong("SELECT count(*) FROM events WHERE " + subscribedFilter());
    f.subscribedEvents = subscribed;
    f.backlogAtStop = subscribed - webhook.deliveries.sum();
    long deadline = stop + maxSeconds * 1000L;
    while (webhook.deliveries.sum() < subscribed && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    f.deliveredTotal = webhook.deliveries.sum();
    f.drainSeconds =
        f.deliveredTotal >= subscribed
            ? Math.max(0, webhook.lastArrivalMillis.get() - stop) / 1000.0
            : Double.NaN;
    f.drainWaitSeconds = (System.currentTimeMillis() - stop) / 1000.0;
    f.eventsTotal = inlet.queryLong("SELECT count(*) FROM events");
    // Give the live stream the time to catch up with the last events.
    long sseDeadline = System.currentTimeMillis() + 5_000;
    long maxId = inlet.queryLong("SELECT coalesce(max(id), 0) FROM events");
    while (events != null
        && events.lastId.get() < maxId
        && System.currentTimeMillis() < sseDeadline) {
      Thread.sleep(50);
    }
    f.sseTotal = events == null ? -1 : events.received.sum();
    f.sseReconnects = events == null ? 0 : events.reconnects.sum();
    f.verifiedSignatures = webhook.verified.sum();
    // Whether the batch statement's invoice updates stay heap-only (no index insert per update).
    Map<String, Long> t =
        inlet.counts(
            "SELECT k, v FROM pg_stat_user_tables, LATERAL (VALUES ('updates', n_tup_upd), "
                + "('hot', n_tup_hot_upd), ('heap', pg_relation_size(relid)), "
                + "('indexes', pg_indexes_size(relid))) AS x(k, v) WHERE relname = 'invoices'");
    f.invoiceTable =
        String.format(
            "%,d updates, %,d HOT; %,d kB heap, %,d kB indexes",
            t.getOrDefault("updates", -1L),
            t.getOrDefault("hot", -1L),
            t.getOrDefault("heap", 0L) / 1024,
            t.getOrDefault("indexes", 0L) / 1024);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + apiKey)
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(int port, String apiKey, String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode created(HttpResponse<String> r) {
    if (r.statusCode() != 201) {
      throw new IllegalStateException(
          r.request().method()
              + " "
              + r.request().uri().getPath()
              + ": "
              + r.statusCode()
              + " "
              + r.body());
    }
    return json.readTree(r.body());
  }

  @Override
  public void close() throws InterruptedException {
    if (events != null) {
      events.close();
    }
    webhook.close();
  }
}
