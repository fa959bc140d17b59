package dev.inlet.load;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends a pool's units to Inlet and records every answer in a {@link Stats}. Closed loop: {@code
 * clients} senders, each sending its next unit when the previous one is answered. Open loop: units
 * are due at fixed intervals and sent on the next millisecond tick (at most {@code clients} in
 * flight); latency counts from the time a unit was due, so a stalled server shows in the figures
 * instead of slowing the schedule (no coordinated omission).
 */
final class Driver {
  /** How long after its end a part waits for answers still outstanding. */
  private static final long drainNanos = TimeUnit.SECONDS.toNanos(90);

  /** Open loop: how often the schedule wakes to send the units that have fallen due. */
  private static final long tickNanos = TimeUnit.MILLISECONDS.toNanos(1);

  private final IlpTransport transport;
  private final int clients;

  Driver(IlpTransport transport, int clients) {
    this.transport = transport;
    this.clients = clients;
  }

  /**
   * Closed loop until the pool's units below {@code unitLimit} are used up or {@code durationNanos}
   * has passed, then waits for the answers in flight. Each sender claims its next unit on the
   * thread that read its last answer: no hop between an answer and the next request.
   */
  void closedLoop(Pool pool, Stats stats, int unitLimit, long durationNanos)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + durationNanos;
    CountDownLatch finished = new CountDownLatch(clients);
    Next next =
        sender -> {
          int unit = System.nanoTime() < deadline ? pool.claim(unitLimit) : -1;
          if (unit < 0) {
            finished.countDown();
          } else {
            sender.start(unit, System.nanoTime());
          }
        };
    for (int line = 0; line < clients; line++) {
      next.unitDone(new Sender(line, pool, stats, next));
    }
    if (!finished.await(durationNanos + drainNanos, TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException(
          "answers still outstanding " + drainNanos / 1_000_000_000 + " s after the end");
    }
    stats.activeNanos += System.nanoTime() - start;
  }

  /**
   * Open loop at {@code rate} units/s, until the units below {@code unitLimit} or {@code
   * durationNanos} run out, then waits for the answers in flight.
   */
  void openLoop(Pool pool, Stats stats, int unitLimit, long durationNanos, double rate)
      throws InterruptedException {
    Pacer pacer = new Pacer(pool, stats, unitLimit, durationNanos, rate);
    pacer.executor.execute(pacer::next);
    if (!pacer.finished.await(durationNanos + drainNanos, TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException(
          "answers still outstanding " + drainNanos / 1_000_000_000 + " s after the end");
    }
    stats.activeNanos += System.nanoTime() - pacer.start;
  }

  /**
   * An open loop's schedule, kept on the transport's pacing thread: unit k is due at {@code start +
   * k / rate} and sent then by an idle sender, or as soon as one is back (at most {@code clients}
   * units in flight). Pacing on the thread that reads the answers saves a thread hand-over per
   * request.
   */
  private final class Pacer {
    final EventExecutor executor = transport.pacer();
    final CountDownLatch finished = new CountDownLatch(1);
    final long start = System.nanoTime();
    private final Pool pool;
    private final int unitLimit;
    private final long end;
    private final double rate;
    private final ArrayDeque<Sender> idle = new ArrayDeque<>(clients);
    private long k;

    /** The next unit, claimed, and when it is due; -1 when none is claimed. */
    private int unit = -1;

    private long due;

    /** Waiting for {@code due}, not for a sender. */
    private boolean timerSet;

    private boolean over;

    Pacer(Pool pool, Stats stats, int unitLimit, long durationNanos, double rate) {
      this.pool = pool;
      this.unitLimit = unitLimit;
      this.end = start + durationNanos;
      this.rate = rate;
      for (int line = 0; line < clients; line++) {
        idle.add(new Sender(line, pool, stats, this::returned));
      }
    }

    /**
     * Sends what is due while a sender is idle; then waits for the next due time, or for a sender.
     */
    void next() {
      while (true) {
        if (unit < 0) {
          due = start + (long) (k++ * 1e9 / rate);
          unit = due < end ? pool.claim(unitLimit) : -1;
          if (unit < 0) {
            over = true;
            finishIfIdle();
            return;
          }
        }
        long now = System.nanoTime();
        if (due > now) {
          // Woken on the next tick, not for each unit: a timer per unit took the generator from
          // 0.24 to 0.31
          // core at 10,000/s, CPU that Inlet shares. A unit sent up to a tick late counts that in
          // its latency.
          timerSet = true;
          long wake = start + ((due - start + tickNanos - 1) / tickNanos) * tickNanos;
          executor.schedule(this::onTimer, wake - now, TimeUnit.NANOSECONDS);
          return;
        }
        Sender sender = idle.poll();
        if (sender == null) {
          return;
        }
        sender.start(unit, due);
        unit = -1;
      }
    }

    private void onTimer() {
      timerSet = false;
      next();
    }

    private void returned(Sender sender) {
      if (!executor.inEventLoop()) {
        executor.execute(() -> returned(sender));
        return;
      }
      idle.push(sender);
      if (over) {
        finishIfIdle();
      } else if (!timerSet) {
        next();
      }
    }

    private void finishIfIdle() {
      if (idle.size() == clients) {
        finished.countDown();
      }
    }
  }

  /** What a sender does once its unit is answered (on the thread that read the last answer). */
  private interface Next {
    void unitDone(Sender sender);
  }

  /**
   * Sends units on one line: a unit's Prepares one after the other, the first one's latency counted
   * from the time the unit was due, the others' from their sending.
   */
  private final class Sender implements IlpTransport.Answer {
    private final int line;
    private final Pool pool;
    private final Stats stats;
    private final Next done;

    /** The Prepare in flight, the end of its unit, and the time its latency counts from. */
    private int packet;

    private int unitEnd;
    private long since;

    Sender(int line, Pool pool, Stats stats, Next done) {
      this.line = line;
      this.pool = pool;
      this.stats = stats;
      this.done = done;
    }

    void start(int unit, long due) {
      packet = pool.unitStart[unit];
      unitEnd = pool.unitStart[unit + 1];
      since = due;
      transport.send(line, pool, packet, this);
    }

    @Override
    public void answered(int status, byte[] body) {
      record(pool, stats, packet, since, status, body);
      next();
    }

    @Override
    public void failed(String error) {
      stats.error(error);
      next();
    }

    private void next() {
      if (++packet < unitEnd) {
        since = System.nanoTime();
        transport.send(line, pool, packet, this);
      } else {
        done.unitDone(this);
      }
    }
  }

  private static void record(Pool pool, Stats stats, int p, long since, int status, byte[] body) {
    long nanos = System.nanoTime() - since;
    if (status != 200) {
      stats.error("HTTP " + status);
      return;
    }
    stats.latency(nanos);
    IlpPacket reply;
    try {
      reply = IlpCodec.decode(body);
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
