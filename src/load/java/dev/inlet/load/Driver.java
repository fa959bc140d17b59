package dev.inlet.load;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a pool's units to Inlet and records every answer in a {@link Stats}. Closed loop: {@code clients}
 * senders, each sending its next unit when the previous one is answered. Open loop: units are due at fixed
 * intervals and sent then (at most {@code clients} in flight); latency counts from the time a unit was due, so a
 * stalled server shows in the figures instead of slowing the schedule (no coordinated omission).
 */
final class Driver {
  /** How long after its end a part waits for answers still outstanding. */
  private static final long drainNanos = TimeUnit.SECONDS.toNanos(90);

  private final Http http;
  private final int clients;

  Driver(Http http, int clients) {
    this.http = http;
    this.clients = clients;
  }

  /**
   * Closed loop until the pool's units below {@code unitLimit} are used up or {@code durationNanos} has passed,
   * then waits for the answers in flight.
   */
  void closedLoop(Pool pool, Stats stats, int unitLimit, long durationNanos) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + durationNanos;
    CountDownLatch finished = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      new Sender(pool, stats, unitLimit, deadline, finished).next();
    }
    if (!finished.await(durationNanos + drainNanos, TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("answers still outstanding " + drainNanos / 1_000_000_000 + " s after the end");
    }
    stats.activeNanos += System.nanoTime() - start;
  }

  /** Open loop at {@code rate} units/s, until the units below {@code unitLimit} or {@code durationNanos} run out. */
  void openLoop(Pool pool, Stats stats, int unitLimit, long durationNanos, double rate) throws InterruptedException {
    Semaphore inFlight = new Semaphore(clients);
    long start = System.nanoTime();
    long end = start + durationNanos;
    for (long k = 0; ; k++) {
      long due = start + (long) (k * 1e9 / rate);
      if (due >= end) {
        break;
      }
      int unit = pool.claim(unitLimit);
      if (unit < 0) {
        break;
      }
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      if (!inFlight.tryAcquire(end + drainNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        stats.notSent.increment();
        break;
      }
      sendUnit(pool, stats, unit, due).whenComplete((ok, e) -> inFlight.release());
    }
    if (!inFlight.tryAcquire(clients, drainNanos, TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("answers still outstanding " + drainNanos / 1_000_000_000 + " s after the end");
    }
    stats.activeNanos += System.nanoTime() - start;
  }

  /** One closed-loop sender: sends a unit, and the next when it is answered. */
  private final class Sender {
    private final Pool pool;
    private final Stats stats;
    private final int unitLimit;
    private final long deadline;
    private final CountDownLatch finished;

    Sender(Pool pool, Stats stats, int unitLimit, long deadline, CountDownLatch finished) {
      this.pool = pool;
      this.stats = stats;
      this.unitLimit = unitLimit;
      this.deadline = deadline;
      this.finished = finished;
    }

    void next() {
      while (true) {
        int unit = System.nanoTime() < deadline ? pool.claim(unitLimit) : -1;
        if (unit < 0) {
          finished.countDown();
          return;
        }
        CompletableFuture<Void> answered = sendUnit(pool, stats, unit, System.nanoTime());
        if (!answered.isDone()) {
          answered.whenComplete((ok, e) -> next());
          return;
        }
      }
    }
  }

  /** Sends a unit's Prepares one after the other; the first one's latency counts from {@code firstDue}. */
  private CompletableFuture<Void> sendUnit(Pool pool, Stats stats, int unit, long firstDue) {
    int from = pool.unitStart[unit];
    int to = pool.unitStart[unit + 1];
    CompletableFuture<Void> f = send(pool, stats, from, firstDue);
    for (int p = from + 1; p < to; p++) {
      int packet = p;
      f = f.thenCompose(x -> send(pool, stats, packet, System.nanoTime()));
    }
    return f;
  }

  private CompletableFuture<Void> send(Pool pool, Stats stats, int p, long since) {
    CompletableFuture<Http.Response> response;
    try {
      response = http.postIlp(pool.bodies[p]);
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    return response.handle((r, e) -> {
      record(pool, stats, p, since, r, e);
      return null;
    });
  }

  private static void record(Pool pool, Stats stats, int p, long since, Http.Response response, Throwable error) {
    long nanos = System.nanoTime() - since;
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      stats.error(cause.getClass().getSimpleName());
      return;
    }
    if (response.status() != 200) {
      stats.error("HTTP " + response.status());
      return;
    }
    stats.latency(nanos);
    IlpPacket reply;
    try {
      reply = IlpCodec.decode(response.body());
    } catch (DecodeException e) {
      stats.error("undecodable reply");
      return;
    }
    if (reply instanceof IlpFulfill fulfill) {
      stats.fulfilled.increment();
      stats.fulfilledAmount.add(pool.amounts[p]);
      if (!pool.fulfils(p, fulfill.fulfillment())) {
        stats.badFulfillments.increment();
      }
      if (pool.amounts[p] == 0) {
        stats.churnClosed.increment();
      }
    } else if (reply instanceof IlpReject reject) {
      stats.reject(reject.code().code());
    } else {
      stats.error("reply is a Prepare");
    }
  }
}
