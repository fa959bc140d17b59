package dev.inlet.jobs;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task run on every replica every {@code interval}, on a daemon thread of its own: the first run
 * after a random part of the interval, so that replicas started together do not run at the same
 * moment (the tasks are written to be safe together anyway: {@code FOR UPDATE SKIP LOCKED}). A run
 * that throws is logged and the schedule goes on.
 */
public final class PeriodicJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeriodicJob.class);
  private static final Duration stopTimeout = Duration.ofSeconds(30);

  private final String name;
  private final ScheduledExecutorService scheduler;

  private PeriodicJob(String name, ScheduledExecutorService scheduler) {
    this.name = name;
    this.scheduler = scheduler;
  }

  /**
   * Schedules {@code task}.
   *
   * @param name the thread's name, also in the log lines about it
   * @param interval between the end of one run and the start of the next; positive
   */
  public static PeriodicJob start(String name, Duration interval, Task task) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemonThreads(name));
    long period = interval.toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (Exception e) {
            // Never thrown out of the task: the executor would cancel every later run.
            log.warn("{} failed; next run in {}", name, interval, e);
          }
        },
        ThreadLocalRandom.current().nextLong(period) + 1,
        period,
        TimeUnit.MILLISECONDS);
    return new PeriodicJob(name, scheduler);
  }

  /** Makes daemon threads named {@code name}: they never keep the JVM from exiting. */
  public static ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** One run of a job; what it throws is logged. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  /** Stops the schedule: no run starts after this, and a running one is waited for (30 s). */
  @Override
  public void close() throws InterruptedException {
    scheduler.shutdown();
    if (!scheduler.awaitTermination(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("{} did not stop within {}", name, stopTimeout);
    }
  }
}
