package dev.inlet.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per replica: learns of committed events and hands them to this replica's live streams and
 * wake-up listeners. It holds one connection of its own (not the pool's) that {@code LISTEN}s on
 * {@code inlet_events}, which the events table's trigger notifies at every commit that wrote
 * events, whichever replica made it. On each notification, every {@code pollInterval} in case one
 * was missed, and after (re)connecting, it reads all events above the last id it saw — one query
 * for all streams, paged, so a wake-up costs O(new events), not O(streams) — and offers each
 * merchant's events of the read, as one list, to the merchant's subscriptions (a stream writes the
 * list in one write). Notifications within {@code readGap} of the last read wait for its end and
 * share one read: under load the ledger commits a hundred times a second or more, and the hub and
 * the webhook dispatcher it wakes would otherwise query as often. Ids are commit order (db/V2), so
 * "above the last id seen" misses none.
 *
 * <p>A subscription gets every event the hub reads after it was made. A stream that replays from
 * the database after subscribing therefore misses nothing: what the hub had read before, the replay
 * (which reads later) sees.
 */
public final class EventHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventHub.class);

  /** Events one read takes at most; reads repeat while they come back full. */
  static final int readPage = 1_000;

  /** How long one wait for notifications lasts, so that {@link #close} is heard soon. */
  private static final int waitSliceMillis = 250;

  private static final Duration reconnectDelay = Duration.ofSeconds(1);

  /** Opens the hub's own connection. */
  @FunctionalInterface
  public interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  private final ConnectionFactory connections;
  private final Duration pollInterval;
  private final long readGapNanos;
  private final ConcurrentHashMap<Long, Set<EventSubscription>> subscriptions =
      new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile long lastSeenId;
  private volatile boolean stopping;
  private volatile boolean serving = true;
  private Connection connection;
  private Thread thread;

  /**
   * @param connections opens the hub's connection (autocommit); used again after it fails
   * @param pollInterval the longest the hub goes without reading, notified or not
   * @param readGap the shortest time between two reads that notifications cause
   */
  public EventHub(ConnectionFactory connections, Duration pollInterval, Duration readGap) {
    this.connections = connections;
    this.pollInterval = pollInterval;
    this.readGapNanos = readGap.toNanos();
  }

  /**
   * Connects, takes the newest id as the last seen (earlier events are the streams' replay), and
   * starts the hub's thread. Call before any stream subscribes.
   *
   * @throws SQLException when the database cannot be reached
   */
  public synchronized void start() throws SQLException {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    connection = listening();
    lastSeenId = EventStore.newestId(connection);
    thread = new Thread(this::run, "inlet-event-hub");
    thread.setDaemon(true);
    thread.start();
    log.info("Event hub listening on inlet_events from event id {}", lastSeenId);
  }

  /**
   * Subscribes a live stream to the merchant's events from now on; after {@link #endStreams} the
   * subscription is ended at once.
   *
   * @param capacity events it buffers before it counts as too slow
   */
  public EventSubscription subscribe(long merchantId, int capacity) {
    EventSubscription s = new EventSubscription(merchantId, capacity, this::remove);
    subscriptions.compute(
        merchantId,
        (id, set) -> {
          Set<EventSubscription> all = set != null ? set : ConcurrentHashMap.newKeySet();
          all.add(s);
          return all;
        });
    if (!serving) {
      s.end();
    }
    return s;
  }

  /**
   * Runs {@code listener} on the hub's thread each time it has read new events (of any merchant, or
   * of none): after a notification, a poll or a reconnection found some. It must return quickly
   * (signal a worker; never block or query here).
   */
  public void onCommitted(Runnable listener) {
    listeners.add(listener);
  }

  /** The largest event id this hub has read and handed out. */
  public long lastSeenId() {
    return lastSeenId;
  }

  /** Live streams now subscribed. */
  public int subscriptionCount() {
    return subscriptions.values().stream().mapToInt(Set::size).sum();
  }

  /** Ends every live stream, now and later (shutdown); wake-up listeners still run. */
  public void endStreams() {
    serving = false;
    subscriptions.values().forEach(set -> set.forEach(EventSubscription::end));
  }

  private void remove(EventSubscription s) {
    subscriptions.computeIfPresent(
        s.merchantId(),
        (id, set) -> {
          set.remove(s);
          return set.isEmpty() ? null : set;
        });
  }

  private void run() {
    long lastRead = System.nanoTime();
    long nextPoll = lastRead + pollInterval.toNanos();
    boolean notified = false;
    boolean failing = false;
    while (!stopping) {
      try {
        if (connection == null) {
          connection = listening();
          readNew(); // whatever was committed while it was away
          if (failing) {
            log.info("Event hub reconnected; read up to event id {}", lastSeenId);
          }
          failing = false;
        }
        long gapLeft = readGapNanos - (System.nanoTime() - lastRead);
        int wait = notified ? (int) Math.max(1, gapLeft / 1_000_000) : waitSliceMillis;
        PGNotification[] notifications =
            connection.unwrap(PGConnection.class).getNotifications(wait);
        notified |= notifications != null && notifications.length > 0;
        long now = System.nanoTime();
        if ((notified && now - lastRead >= readGapNanos) || now - nextPoll >= 0) {
          readNew();
          notified = false;
          lastRead = now;
          nextPoll = now + pollInterval.toNanos();
        }
      } catch (SQLException | RuntimeException e) {
        if (stopping) {
          break;
        }
        if (!failing) {
          log.warn("Event hub lost its database connection; retrying every {}", reconnectDelay, e);
        }
        failing = true;
        closeConnection();
        sleep(reconnectDelay);
      }
    }
    closeConnection();
  }

  private Connection listening() throws SQLException {
    Connection c = connections.open();
    try {
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("LISTEN inlet_events");
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Hands the live streams their merchants' events committed since the last read, and wakes the
   * listeners when any event was. The newest id is read before the merchants with streams: a stream
   * registered after that snapshot replays from the table later, so it sees every event up to that
   * id, and this hub hands it every event above.
   */
  private void readNew() throws SQLException {
    long newest = EventStore.newestId(connection);
    if (newest <= lastSeenId) {
      return;
    }
    Long[] merchants = subscriptions.keySet().toArray(Long[]::new);
    long cursor = lastSeenId;
    while (merchants.length > 0 && !stopping) {
      List<Event> page = EventStore.after(connection, cursor, newest, merchants, readPage);
      Map<Long, List<Event>> byMerchant = new LinkedHashMap<>();
      for (Event e : page) {
        if (e.merchantId() != null) {
          byMerchant.computeIfAbsent(e.merchantId(), m -> new ArrayList<>()).add(e);
        }
        cursor = e.id();
      }
      byMerchant.forEach(this::deliver);
      if (page.size() < readPage) {
        break;
      }
    }
    lastSeenId = newest;
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.error("Event wake-up listener failed", e);
      }
    }
  }

  /** One merchant's events of one read, in id order, to each of its streams as one list. */
  private void deliver(long merchantId, List<Event> events) {
    Set<EventSubscription> set = subscriptions.get(merchantId);
    if (set == null) {
      return;
    }
    List<Event> shared = List.copyOf(events);
    for (EventSubscription s : set) {
      if (!s.offer(shared)) {
        remove(s);
      }
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("Closing the event hub's connection", e);
      }
      connection = null;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the thread (within about a quarter of a second) and closes the connection. */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    endStreams();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      t.join(10_000);
    } else {
      closeConnection();
    }
  }
}
