package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.events.Event;
import dev.inlet.events.EventStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/events}: a live stream (SSE) that replays what a client missed and goes on live,
 * the JSON pages, and retention. Events are written by SQL as the ledger and invoices write them.
 * The hub's fallback poll is an hour here: live events arrive by {@code NOTIFY} alone.
 */
class EventStreamTest {
  static final Duration wait = Duration.ofSeconds(5);
  @TempDir static Path dir;
  static TestInlet inlet;
  static EventRows rows;

  @BeforeAll
  static void start() {
    inlet =
        TestInlet.start(
            dir,
            Map.of(
                "inlet.events.poll-interval", "1h",
                "inlet.events.retention", "1h",
                "inlet.events.retention-interval", "300ms"));
    rows = new EventRows(inlet.bean(DataSource.class));
  }

  @AfterAll
  static void stop() {
    inlet.close();
  }

  /** Creates a merchant and returns its API key. */
  static String merchant(String name) {
    HttpResponse<String> r = inlet.adminPost("/admin/merchants", "{\"name\":\"" + name + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestInlet.json.readTree(r.body()).get("api_key").asString();
  }

  static HttpResponse<String> get(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(inlet.url(path))).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return inlet.send(b);
  }

  @Test
  void reconnectWithLastEventIdReplaysEveryMissedEventOnceThenGoesOnLive() throws Exception {
    String key = merchant("sse-acme");
    long acme = rows.merchantId("sse-acme");
    merchant("sse-other");
    long other = rows.merchantId("sse-other");
    long before = rows.insert(acme, "1"); // before the stream: not sent without a cursor

    SseClient first = SseClient.open(inlet.url("/v1/events"), key);
    assertThat(first.response.statusCode()).isEqualTo(200);
    assertThat(first.response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    first.awaitSubscribed();
    long e1 = rows.insert(acme, "10");
    rows.insert(other, "99");
    long e2 = rows.insert(acme, "20");
    List<SseClient.Message> live = first.events(2, wait);
    assertThat(live).extracting(SseClient.Message::id).containsExactly("" + e1, "" + e2);
    assertThat(live.get(0).event()).isEqualTo("payment.received");
    assertThat(live.get(0).data()).isEqualTo(rows.json(e1));
    assertThat(live.get(1).data()).isEqualTo(rows.json(e2));
    assertThat(first.nextEvent(Duration.ofMillis(300))).isNull();
    first.close();

    List<Long> missed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      missed.add(rows.insert(acme, "" + (100 + i)));
      rows.insert(other, "1");
    }
    SseClient second =
        SseClient.open(inlet.url("/v1/events"), key, "Last-Event-ID", live.get(1).id());
    second.awaitSubscribed();
    List<SseClient.Message> replayed = second.events(5, wait);
    assertThat(replayed).extracting(m -> Long.parseLong(m.id())).containsExactlyElementsOf(missed);
    for (SseClient.Message m : replayed) {
      assertThat(m.data()).isEqualTo(rows.json(Long.parseLong(m.id())));
    }
    long e3 = rows.insert(acme, "30");
    assertThat(second.nextEvent(wait).id()).isEqualTo("" + e3);
    assertThat(second.nextEvent(Duration.ofMillis(500))).isNull();
    second.close();

    // ?after= works as Last-Event-ID does (the header wins when both are given).
    SseClient third = SseClient.open(inlet.url("/v1/events?after=" + before), key);
    third.awaitSubscribed();
    List<SseClient.Message> all = third.events(8, wait);
    assertThat(all)
        .extracting(m -> Long.parseLong(m.id()))
        .containsExactlyElementsOf(rows.ids(acme).subList(1, 9));
    third.close();
  }

  @Test
  void replayAndLiveJoinWithoutGapOrRepeatWhileEventsAreWritten() throws Exception {
    String key = merchant("sse-busy");
    long busy = rows.merchantId("sse-busy");
    int total = 400;
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < total; i++) {
                  rows.insert(busy, "" + i);
                }
              } catch (Exception e) {
                failure.set(e);
              }
            });
    writer.start();
    while (rows.ids(busy).size() < total / 4) {
      Thread.sleep(5);
    }
    // Subscribes while the writer goes on: part replay (from the start), part live.
    SseClient client = SseClient.open(inlet.url("/v1/events?after=0"), key);
    writer.join();
    assertThat(failure.get()).isNull();
    List<SseClient.Message> got = client.events(total, wait);
    assertThat(got)
        .extracting(m -> Long.parseLong(m.id()))
        .containsExactlyElementsOf(rows.ids(busy));
    assertThat(client.nextEvent(Duration.ofMillis(500))).isNull();
    client.close();
  }

  @Test
  void badCursorIs400AndNoKeyIs401() throws Exception {
    String key = merchant("sse-bad");
    for (String bad : List.of("abc", "-1", "1.5", "99999999999999999999")) {
      SseClient c = SseClient.open(inlet.url("/v1/events?after=" + bad), key);
      assertThat(c.response.statusCode()).isEqualTo(400);
      c.close();
      HttpResponse<String> page = get("/v1/events?after=" + bad, key);
      assertThat(page.statusCode()).isEqualTo(400);
      assertThat(TestInlet.json.readTree(page.body()).get("type").asString())
          .isEqualTo("urn:inlet:problem:invalid-cursor");
    }
    SseClient header = SseClient.open(inlet.url("/v1/events"), key, "Last-Event-ID", "x");
    assertThat(header.response.statusCode()).isEqualTo(400);
    header.close();
    for (String bad : List.of("0", "501", "x")) {
      HttpResponse<String> page = get("/v1/events?limit=" + bad, key);
      assertThat(page.statusCode()).isEqualTo(400);
      assertThat(TestInlet.json.readTree(page.body()).get("type").asString())
          .isEqualTo("urn:inlet:problem:invalid-limit");
    }
    SseClient anonymous = SseClient.open(inlet.url("/v1/events"), null);
    assertThat(anonymous.response.statusCode()).isEqualTo(401);
    anonymous.close();
    assertThat(get("/v1/events", null).statusCode()).isEqualTo(401);
    assertThat(get("/v1/events", "inlet_sk_wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void jsonPagesFollowTheCursorAndShowOnlyTheMerchantsEvents() throws Exception {
    String key = merchant("page-acme");
    long acme = rows.merchantId("page-acme");
    merchant("page-other");
    long other = rows.merchantId("page-other");
    List<Long> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(rows.insert(acme, "" + i));
      rows.insert(other, "7");
    }
    List<Long> seen = new ArrayList<>();
    String cursor = "0";
    int pages = 0;
    while (cursor != null) {
      HttpResponse<String> r = get("/v1/events?limit=2&after=" + cursor, key);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
      JsonNode body = TestInlet.json.readTree(r.body());
      for (JsonNode item : body.get("items")) {
        long id = item.get("id").asLong();
        seen.add(id);
        // Byte for byte the database's text.
        assertThat(r.body()).contains(rows.json(id));
        assertThat(item.get("type").asString()).isEqualTo("payment.received");
        assertThat(item.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      }
      JsonNode next = body.get("next_cursor");
      cursor = next.isNull() ? null : next.asString();
      pages++;
    }
    assertThat(seen).isEqualTo(mine);
    assertThat(pages).isEqualTo(3);
    HttpResponse<String> all = get("/v1/events", key);
    assertThat(TestInlet.json.readTree(all.body()).get("items")).hasSize(5);
    assertThat(TestInlet.json.readTree(all.body()).get("next_cursor").isNull()).isTrue();
  }

  @Test
  void eventsAreRenderedByteForByteAsTheDatabaseRendersThem() throws Exception {
    merchant("render-acme");
    long acme = rows.merchantId("render-acme");
    List<String> expected = new ArrayList<>();
    for (String at :
        List.of(
            "2026-12-07 10:11:12.999999+00",
            "1999-12-31 23:59:59.0005+00",
            "2026-01-01 00:00:00+01",
            "2030-06-30 12:00:00.1234+00")) {
      expected.add(rows.json(rows.insert(acme, "\"quoted\" \\ ✓", null, at)));
    }
    List<Event> page = new EventStore(inlet.bean(DataSource.class)).page(acme, 0, 10);
    assertThat(page).extracting(Event::json).containsExactlyElementsOf(expected);
    assertThat(expected.get(0)).contains("\"created_at\":\"2026-12-07T10:11:12.999Z\"");
  }

  @Test
  void retentionDeletesOldEventsAndKeepsRecentOnes() throws Exception {
    merchant("old-acme");
    long acme = rows.merchantId("old-acme");
    long old1 = rows.insert(acme, "1", 7_200L);
    long old2 = rows.insert(acme, "2", 3_700L);
    long recent = rows.insert(acme, "3", 3_000L);
    long now = rows.insert(acme, "4");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (rows.ids(acme).size() > 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(rows.ids(acme)).containsExactly(recent, now).doesNotContain(old1, old2);
  }
}
