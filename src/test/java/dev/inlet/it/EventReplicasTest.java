package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Inlet replicas on one PostgreSQL: an event committed by any transaction reaches the live
 * streams of both within a second. Their fallback poll is an hour, so only {@code NOTIFY} can wake
 * them in time. A stream may fall 16 events behind here before it is disconnected.
 */
class EventReplicasTest {
  @TempDir static Path dir;
  static TwoReplicas replicas;
  static TestInlet first;
  static TestInlet second;

  @BeforeAll
  static void start() throws Exception {
    replicas =
        TwoReplicas.start(
            dir,
            Map.of("inlet.events.poll-interval", "1h", "inlet.events.subscriber-buffer", "16"));
    first = replicas.first;
    second = replicas.second;
  }

  @AfterAll
  static void stop() throws Exception {
    replicas.close();
  }

  @Test
  void anEventWrittenAnywhereReachesTheStreamsOfEveryReplicaWithinASecond() throws Exception {
    HttpResponse<String> created = first.adminPost("/admin/merchants", "{\"name\":\"acme\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String key = TestInlet.json.readTree(created.body()).get("api_key").asString();
    EventRows rows = new EventRows(replicas.database.getPostgresDatabase());
    long acme = rows.merchantId("acme");

    try (SseClient onFirst = SseClient.open(first.url("/v1/events"), key);
        SseClient onSecond = SseClient.open(second.url("/v1/events"), key)) {
      onFirst.awaitSubscribed();
      onSecond.awaitSubscribed();
      for (int i = 0; i < 5; i++) {
        long id = rows.insert(acme, "" + i);
        long committed = System.nanoTime();
        SseClient.Message a = onSecond.nextEvent(Duration.ofSeconds(1));
        SseClient.Message b = onFirst.nextEvent(Duration.ofSeconds(1));
        long elapsed = System.nanoTime() - committed;
        assertThat(a).as("event %d on the second replica", id).isNotNull();
        assertThat(b).as("event %d on the first replica", id).isNotNull();
        assertThat(a.id()).isEqualTo("" + id);
        assertThat(b.id()).isEqualTo("" + id);
        assertThat(a.data()).isEqualTo(rows.json(id)).isEqualTo(b.data());
        assertThat(Duration.ofNanos(elapsed)).isLessThan(Duration.ofSeconds(1));
      }
      assertThat(onSecond.nextEvent(Duration.ofMillis(300))).isNull();
      assertThat(onFirst.nextEvent(Duration.ofMillis(10))).isNull();
    }
  }

  @Test
  void aStreamTooSlowForABurstIsDisconnectedAndResumesWithEveryEventOnce() throws Exception {
    String key = merchant("burst");
    EventRows rows = new EventRows(replicas.database.getPostgresDatabase());
    long burst = rows.merchantId("burst");
    insertEvents(burst, 20_000);
    // From the start: the stream replays 20,000 events from the database, page by page, before
    // it takes live ones; a burst of live events meanwhile waits in its 16-event buffer.
    SseClient client = SseClient.open(second.url("/v1/events"), key, "Last-Event-ID", "0");
    client.awaitSubscribed();
    // One transaction, one notification: the hub hands the stream 2,000 events at once.
    insertEvents(burst, 2_000);
    List<Long> expected = rows.ids(burst);
    List<Long> got = new ArrayList<>();
    int connections = 1;
    while (got.size() < expected.size()) {
      SseClient.Message m = client.nextEvent(Duration.ofSeconds(5));
      assertThat(m).as("after %d events", got.size()).isNotNull();
      if (m == SseClient.end) {
        client.close();
        client = resume(second.url("/v1/events"), key, got);
        connections++;
      } else {
        got.add(Long.parseLong(m.id()));
      }
    }
    assertThat(got).isEqualTo(expected);
    assertThat(connections).as("disconnected at least once").isGreaterThan(1);
    assertThat(client.nextEvent(Duration.ofMillis(300))).isNull();
    client.close();
  }

  @Test
  void aStreamUnderASustainedFlowGetsEveryEventOnceResumingWheneverItIsDropped() throws Exception {
    String key = merchant("flow");
    EventRows rows = new EventRows(replicas.database.getPostgresDatabase());
    long flow = rows.merchantId("flow");
    SseClient client = SseClient.open(first.url("/v1/events"), key, "Last-Event-ID", "0");
    client.awaitSubscribed();
    // 100 events a transaction, one transaction every few milliseconds for 3 s, into a 16-event
    // buffer: the stream is dropped whenever it falls behind (and resumes while replays run), or
    // keeps up (a read's events go out in one write); either way it gets every event once. The
    // burst test above drops a stream for certain.
    Thread writer =
        new Thread(
            () -> {
              try (var c = replicas.database.getPostgresDatabase().getConnection()) {
                long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < end) {
                  insertEvents(c, flow, 100);
                  Thread.sleep(2);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    writer.start();
    List<Long> got = new ArrayList<>();
    int connections = 1;
    int expected = -1; // known once the writer is done
    while (expected < 0 || got.size() < expected) {
      if (expected < 0 && !writer.isAlive()) {
        expected = rows.ids(flow).size();
        continue;
      }
      SseClient.Message m = client.nextEvent(Duration.ofSeconds(5));
      assertThat(m).as("after %d events, %d connections", got.size(), connections).isNotNull();
      if (m == SseClient.end) {
        client.close();
        client = resume(first.url("/v1/events"), key, got);
        connections++;
      } else {
        got.add(Long.parseLong(m.id()));
      }
    }
    writer.join();
    assertThat(got).isEqualTo(rows.ids(flow));
    client.close();
  }

  /**
   * Reopens a dropped stream after the last event it got (or from the start); again when it is
   * dropped before its first comment, as a flow that fills its buffer at once does.
   */
  private static SseClient resume(String url, String key, List<Long> got) throws Exception {
    String last = got.isEmpty() ? "0" : "" + got.get(got.size() - 1);
    for (int attempt = 1; ; attempt++) {
      SseClient client = SseClient.open(url, key, "Last-Event-ID", last);
      if (client.awaitSubscribedOrEnd()) {
        return client;
      }
      client.close();
      assertThat(attempt).as("resumptions dropped before subscribing").isLessThan(20);
    }
  }

  private static void insertEvents(long merchantId, int n) throws Exception {
    try (var c = replicas.database.getPostgresDatabase().getConnection()) {
      insertEvents(c, merchantId, n);
    }
  }

  /** {@code n} payment.received events of the merchant in one transaction: one notification. */
  private static void insertEvents(java.sql.Connection c, long merchantId, int n)
      throws java.sql.SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO events (merchant_id, type, data) SELECT ?, 'payment.received', "
                + "jsonb_build_object('amount', n::text) FROM generate_series(1, ?) n")) {
      st.setLong(1, merchantId);
      st.setInt(2, n);
      st.executeUpdate();
    }
  }

  private static String merchant(String name) {
    HttpResponse<String> created =
        first.adminPost("/admin/merchants", "{\"name\":\"" + name + "\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    return TestInlet.json.readTree(created.body()).get("api_key").asString();
  }
}
