package dev.inlet.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Reads and prunes the outbox ({@code events}, db/V2). Ids are commit order, so "after id n" never
 * misses an event once an event above n has been seen. Blocking: call off the event loop.
 */
public final class EventStore {
  /**
   * What {@link #event} renders an event from: its data as stored, and its time in whole
   * milliseconds (as {@code inlet_time} shows it). Rendered here rather than by {@code
   * inlet_event_json}: the live streams take every event the ledger writes, and the database's
   * {@code to_char} per event cost its backend more than the rest of the read.
   */
  private static final String columns =
      "SELECT e.id, e.merchant_id, e.type, floor(extract(epoch FROM e.created_at) * 1000)::bigint,"
          + " e.data::text FROM events e ";

  private static final DateTimeFormatter time =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final JsonStringEncoder encoder = JsonStringEncoder.getInstance();

  static final String merchantPage =
      columns + "WHERE e.merchant_id = ? AND e.id > ? ORDER BY e.id LIMIT ?";
  static final String subscribedAfter =
      columns + "WHERE e.id > ? AND e.id <= ? AND e.merchant_id = ANY (?) ORDER BY e.id LIMIT ?";

  /**
   * Walks the primary key from the oldest id (no index on {@code created_at}): one chunk of the
   * oldest events, of which those older than the retention go.
   */
  static final String deleteOldest =
      """
      WITH oldest AS (SELECT id FROM events ORDER BY id LIMIT ?)
      DELETE FROM events e USING oldest o
      WHERE e.id = o.id AND e.created_at < now() - make_interval(secs => ?)
      """;

  private final DataSource dataSource;
  private final JdbcClient jdbc;

  public EventStore(DataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbc = JdbcClient.create(dataSource);
  }

  /** The merchant's events with an id above {@code afterId}, ascending, at most {@code limit}. */
  public List<Event> page(long merchantId, long afterId, int limit) {
    return jdbc.sql(merchantPage)
        .params(merchantId, afterId, limit)
        .query((rs, n) -> event(rs))
        .list();
  }

  /** The largest event id committed so far; 0 when there is none. */
  public long newestId() {
    return jdbc.sql("SELECT coalesce(max(id), 0) FROM events").query(Long.class).single();
  }

  /**
   * The events of {@code merchants} with an id above {@code afterId} and at most {@code upTo},
   * ascending, at most {@code limit}, on the given connection (the event hub's own). Only the
   * merchants with live streams: nobody else's events are rendered.
   */
  public static List<Event> after(
      Connection c, long afterId, long upTo, Long[] merchants, int limit) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(subscribedAfter)) {
      st.setLong(1, afterId);
      st.setLong(2, upTo);
      st.setArray(3, c.createArrayOf("bigint", merchants));
      st.setInt(4, limit);
      try (ResultSet rs = st.executeQuery()) {
        List<Event> events = new ArrayList<>();
        while (rs.next()) {
          events.add(event(rs));
        }
        return events;
      }
    }
  }

  /** {@link #newestId} on the given connection. */
  public static long newestId(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT coalesce(max(id), 0) FROM events");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Deletes events older than {@code retention}, oldest ids first, at most {@code chunk} a
   * statement (each its own transaction), until a chunk holds a younger event or {@code maxChunks}
   * statements have run.
   *
   * @return events deleted
   */
  public long deleteOlderThan(Duration retention, int chunk, int maxChunks) throws SQLException {
    long total = 0;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement st = c.prepareStatement(deleteOldest)) {
        st.setInt(1, chunk);
        st.setDouble(2, retention.toMillis() / 1000.0);
        for (int i = 0; i < maxChunks; i++) {
          int deleted = st.executeUpdate();
          total += deleted;
          if (deleted < chunk) {
            break;
          }
        }
      }
    }
    return total;
  }

  private static Event event(ResultSet rs) throws SQLException {
    long id = rs.getLong(1);
    long merchant = rs.getLong(2);
    Long merchantId = rs.wasNull() ? null : merchant;
    String type = rs.getString(3);
    return new Event(id, merchantId, type, json(id, type, rs.getLong(4), rs.getString(5)));
  }

  /**
   * {@code {"id","type","created_at","data"}}: byte for byte what {@code inlet_event_json} (db/V5)
   * gives, which webhook deliveries send.
   */
  static String json(long id, String type, long createdAtMillis, String data) {
    StringBuilder b = new StringBuilder(64 + data.length());
    b.append("{\"id\":").append(id).append(",\"type\":\"");
    encoder.quoteAsString(type, b);
    b.append("\",\"created_at\":\"");
    time.formatTo(Instant.ofEpochMilli(createdAtMillis), b);
    return b.append("\",\"data\":").append(data).append('}').toString();
  }
}
