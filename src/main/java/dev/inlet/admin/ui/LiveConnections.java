package dev.inlet.admin.ui;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Live STREAM connections and balances for the dashboard ({@code GET /admin/ui/live/stream},
 * server-sent events named {@code connections}): what the ledger writes to {@code connections}
 * anyway, read by one query every {@link #pollInterval} on one timer shared by every open dashboard
 * — never per packet, and not at all while no dashboard is open. Each event is the whole list,
 * newest first: at most {@link #maxShown} connections active (or opened, or closed) within {@link
 * #linger}, each with its streams (received, {@code StreamMaxMoney} as receive_max, closed) and its
 * current rate, the growth of total_received over the last {@link #rateWindow} in units per second;
 * and every receiving account's balance (at most {@link OverviewHandler#maxAccounts}).
 */
final class LiveConnections {
  private static final Logger log = LoggerFactory.getLogger(LiveConnections.class);

  /** How often the shared timer reads the connections. */
  static final Duration pollInterval = Duration.ofSeconds(1);

  /** A connection with no packet (or closed) for this long drops off the list. */
  static final Duration linger = Duration.ofMinutes(2);

  /** Connections listed at most. */
  static final int maxShown = 100;

  /** The rate is measured over this much history. */
  static final Duration rateWindow = Duration.ofSeconds(5);

  private static final String query =
      """
      SELECT encode(c.id, 'hex'), inlet_time(c.opened_at), c.source_address, a.name, a.asset_code,
             a.asset_scale, i.public_id, c.total_received::text, c.packets_fulfilled, c.packets_rejected,
             inlet_time(c.last_packet_at), c.closed_at IS NOT NULL,
             (SELECT json_agg(json_build_object('id', s.id, 'received', s.received::text,
                     'receive_max', s.receive_max::text, 'closed', s.closed) ORDER BY s.id)
              FROM unnest(c.streams) s)::text
      FROM connections c JOIN accounts a ON a.id = c.account_id
      LEFT JOIN invoices i ON i.id = c.invoice_id
      WHERE c.id IN (
          SELECT o.id FROM connections o
          WHERE o.closed_at IS NULL AND o.last_packet_at > now() - make_interval(secs => ?)
          UNION ALL
          SELECT r.id FROM accounts x CROSS JOIN LATERAL (
              SELECT n.id FROM connections n
              WHERE n.account_id = x.id AND n.opened_at > now() - make_interval(secs => ?)
              ORDER BY n.opened_at DESC LIMIT ?) r
          UNION ALL
          SELECT decode(unnest(?::text[]), 'hex'))
        AND coalesce(c.closed_at, c.last_packet_at, c.opened_at) > now() - make_interval(secs => ?)
      ORDER BY c.opened_at DESC, c.id LIMIT ?
      """;

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Flux<String> snapshots;
  private final Sinks.Empty<Void> ending = Sinks.empty();

  /**
   * What one run of the timer remembers between its readings: the connections it showed last and
   * each one's recent totals. A run starts with the first open dashboard and stops with the last;
   * its readings are taken one at a time (concatMap), never concurrently.
   */
  private static final class Readings {
    final Map<String, ArrayDeque<long[]>> history = new HashMap<>();
    final Map<String, BigInteger> lastTotals = new HashMap<>();
    List<String> shown = List.of();
  }

  LiveConnections(DataSource dataSource, JsonMapper json, MeterRegistry meters) {
    this.jdbc = JdbcClient.create(dataSource);
    this.json = json;
    Timer reads =
        Timer.builder("inlet.dashboard.live.reads")
            .description("The dashboards' shared reads of the live connections and balances")
            .register(meters);
    this.snapshots =
        Flux.defer(
                () -> {
                  Readings readings = new Readings();
                  return Flux.interval(Duration.ZERO, pollInterval)
                      .onBackpressureDrop()
                      .concatMap(
                          tick ->
                              Mono.fromCallable(
                                      () -> reads.recordCallable(() -> snapshot(readings)))
                                  .subscribeOn(Schedulers.boundedElastic())
                                  .onErrorResume(
                                      e -> {
                                        log.warn("Live connections not read: {}", e.toString());
                                        return Mono.empty();
                                      }),
                          1);
                })
            .replay(1)
            .refCount();
  }

  /**
   * Ends every open live stream (shutdown: the web server's graceful shutdown would otherwise wait
   * for them, as they never end by themselves); browsers reconnect to another replica.
   */
  void endStreams() {
    ending.tryEmitEmpty();
  }

  /** {@code GET /admin/ui/live/stream}. */
  Mono<ServerResponse> stream(ServerRequest request) {
    return ServerResponse.ok()
        .contentType(MediaType.TEXT_EVENT_STREAM)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("X-Accel-Buffering", "no")
        .body(
            BodyInserters.fromServerSentEvents(
                snapshots
                    // A browser that reads slowly gets the newest snapshot, never a backlog.
                    .onBackpressureLatest()
                    .takeUntilOther(ending.asMono())
                    .map(s -> ServerSentEvent.builder(s).event("connections").build())));
  }

  /** {@code GET /admin/ui/live}. */
  Mono<ServerResponse> page(ServerRequest request) {
    return Pages.render(request, "live", Map.of("lingerMinutes", linger.toMinutes()));
  }

  private String snapshot(Readings readings) {
    long seconds = linger.toSeconds();
    long now = System.nanoTime();
    List<Map<String, Object>> rows =
        jdbc.sql(query)
            .params(
                seconds,
                seconds,
                maxShown,
                readings.shown.toArray(new String[0]),
                seconds,
                maxShown)
            .query((rs, n) -> row(rs, now, readings))
            .list();
    Set<String> ids = new HashSet<>();
    List<String> nowShown = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      String id = (String) row.get("id");
      ids.add(id);
      nowShown.add(id);
    }
    readings.history.keySet().retainAll(ids);
    readings.lastTotals.keySet().retainAll(ids);
    readings.shown = nowShown;
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("accounts", balances());
    event.put("connections", rows);
    return json.writeValueAsString(event);
  }

  /** Every receiving account's balance and available balance, formatted (by name). */
  private List<Map<String, Object>> balances() {
    return jdbc.sql(
            "SELECT name, asset_code, asset_scale, balance::text, (balance - reserved)::text"
                + " FROM accounts WHERE kind = 'receiving' ORDER BY name LIMIT ?")
        .param(OverviewHandler.maxAccounts)
        .query(
            (rs, n) ->
                Map.<String, Object>of(
                    "name", rs.getString(1),
                    "balance", Money.format(rs.getString(4), rs.getInt(3), rs.getString(2)),
                    "available", Money.format(rs.getString(5), rs.getInt(3), rs.getString(2))))
        .list();
  }

  private Map<String, Object> row(ResultSet rs, long nowNanos, Readings readings)
      throws SQLException {
    String id = rs.getString(1);
    String code = rs.getString(5);
    int scale = rs.getInt(6);
    BigInteger total = new BigInteger(rs.getString(8));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("opened_at", rs.getString(2));
    m.put("source_address", rs.getString(3));
    m.put("account", rs.getString(4));
    m.put("invoice", rs.getString(7));
    m.put("received", Money.format(total.toString(), scale, code));
    m.put("rate", Money.format(rate(readings, id, total, nowNanos).toString(), scale, code) + "/s");
    m.put("packets_fulfilled", rs.getLong(9));
    m.put("packets_rejected", rs.getLong(10));
    m.put("last_packet_at", rs.getString(11));
    m.put("closed", rs.getBoolean(12));
    List<Map<String, Object>> streams = new ArrayList<>();
    String streamJson = rs.getString(13);
    if (streamJson != null) {
      for (var s : json.readTree(streamJson)) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.get("id").asLong());
        v.put("received", Money.format(s.get("received").asString(), scale, code));
        v.put("receive_max", Money.limit(s.get("receive_max").asString(), scale, code));
        v.put("closed", s.get("closed").asBoolean());
        streams.add(v);
      }
    }
    m.put("streams", streams);
    return m;
  }

  /** Smallest units per second over the last {@link #rateWindow}; 0 until two readings exist. */
  private static BigInteger rate(Readings state, String id, BigInteger total, long nowNanos) {
    ArrayDeque<long[]> readings = state.history.computeIfAbsent(id, k -> new ArrayDeque<>());
    BigInteger previous = state.lastTotals.put(id, total);
    // Readings keep the total's growth since the first reading (fits a long: one connection's
    // growth over a few seconds is below 2^63 units), and when.
    long grown =
        readings.isEmpty() || previous == null
            ? 0
            : readings.peekLast()[1] + total.subtract(previous).longValue();
    readings.addLast(new long[] {nowNanos, grown});
    while (readings.size() > 2 && nowNanos - readings.peekFirst()[0] > rateWindow.toNanos()) {
      readings.removeFirst();
    }
    long[] first = readings.peekFirst();
    long elapsedNanos = nowNanos - first[0];
    if (elapsedNanos <= 0) {
      return BigInteger.ZERO;
    }
    return BigInteger.valueOf(grown - first[1])
        .multiply(BigInteger.valueOf(1_000_000_000L))
        .divide(BigInteger.valueOf(elapsedNanos));
  }
}
