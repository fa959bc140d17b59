package dev.inlet.events;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes events older than the retention, on every replica (deleting is idempotent: a replica that
 * meets a row another is deleting waits one short statement and skips it). Oldest ids first, at
 * most {@link #chunk} a statement and {@link #maxChunksPerRun} statements a run.
 */
public final class EventRetention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

  /** Events one statement deletes at most. */
  public static final int chunk = 1_000;

  /** Statements of one run at most: 100,000 events a run. */
  public static final int maxChunksPerRun = 100;

  private final EventStore store;
  private final Duration retention;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "inlet-event-retention");
            t.setDaemon(true);
            return t;
          });

  /** Starts deleting events older than {@code retention} every {@code interval}. */
  public EventRetention(EventStore store, Duration retention, Duration interval) {
    this.store = store;
    this.retention = retention;
    long period = interval.toMillis();
    // A random first delay, so that replicas started together do not delete at the same moment.
    scheduler.scheduleWithFixedDelay(
        this::run, ThreadLocalRandom.current().nextLong(period) + 1, period, TimeUnit.MILLISECONDS);
    log.info("Events older than {} are deleted; checked every {}", retention, interval);
  }

  private void run() {
    try {
      long deleted = store.deleteOlderThan(retention, chunk, maxChunksPerRun);
      if (deleted > 0) {
        log.info("Deleted {} events older than {}", deleted, retention);
      }
    } catch (Exception e) {
      log.warn("Deleting old events failed; tried again next time", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdownNow();
    scheduler.awaitTermination(30, TimeUnit.SECONDS);
  }
}
