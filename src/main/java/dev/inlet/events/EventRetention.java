package dev.inlet.events;

import dev.inlet.jobs.PeriodicJob;
import java.time.Duration;
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
  private final PeriodicJob job;

  /** Starts deleting events older than {@code retention} every {@code interval}. */
  public EventRetention(EventStore store, Duration retention, Duration interval) {
    this.store = store;
    this.retention = retention;
    this.job = PeriodicJob.start("inlet-event-retention", interval, this::run);
    log.info("Events older than {} are deleted; checked every {}", retention, interval);
  }

  private void run() throws java.sql.SQLException {
    long deleted = store.deleteOlderThan(retention, chunk, maxChunksPerRun);
    if (deleted > 0) {
      log.info("Deleted {} events older than {}", deleted, retention);
    }
  }

  @Override
  public void close() throws InterruptedException {
    job.close();
  }
}
