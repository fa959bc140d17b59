package dev.inlet.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer of an ILP-over-HTTP connection ({@link IlpHttpConnectionHandler}), serving both its
 * timeouts, rescheduled as it fires. One per connection, created with its handler; runs on the
 * connection's event loop only.
 *
 * <ul>
 *   <li><b>Request deadline.</b> From its first byte ({@link IlpRequestDecoder#readingSince}), a
 *       request's head and whole body must arrive within the request timeout: when it passes, the
 *       decoder stops, reading pauses, and the handler answers 408 in order and closes. Time the
 *       server spends not reading does not count (the handler restarts the decoder's clock when it
 *       reads again).
 *   <li><b>Idle timeout.</b> The connection is closed when it has read nothing for the idle timeout
 *       ({@link #active}: since the last read, or the last answer written) while no answer is
 *       pending — never while a Prepare waits for the ledger.
 * </ul>
 *
 * <p>It is its own task: scheduling allocates nothing but Netty's scheduled future.
 */
final class ConnectionTimers implements Runnable {
  // Logged under the handler's name, as before the timers had their own class.
  private static final Logger log = LoggerFactory.getLogger(IlpHttpConnectionHandler.class);

  private final IlpHttpConnectionHandler handler;
  private final IlpOverHttp ilp;
  private final IlpRequestDecoder decoder;

  private ChannelHandlerContext ctx;

  /** {@link System#nanoTime()} of the last read, or of the last answer written. */
  private long lastActive;

  private ScheduledFuture<?> timer;

  ConnectionTimers(IlpHttpConnectionHandler handler, IlpOverHttp ilp, IlpRequestDecoder decoder) {
    this.handler = handler;
    this.ilp = ilp;
    this.decoder = decoder;
  }

  /** The connection is open: both timeouts start. */
  void start(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    lastActive = System.nanoTime();
    schedule(Math.min(ilp.idleTimeoutNanos, ilp.requestTimeoutNanos));
  }

  /** The connection is closed. */
  void stop() {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Something was read, or an answer written: the idle timeout starts again. */
  void active() {
    lastActive = System.nanoTime();
  }

  /** The timer fires: the request deadline, then the idle timeout. */
  @Override
  public void run() {
    if (!ctx.channel().isActive() || handler.closing()) {
      return;
    }
    long now = System.nanoTime();
    long untilDeadline = ilp.requestTimeoutNanos;
    if (decoder.reading() && !handler.readingPaused()) {
      untilDeadline = decoder.readingSince() + ilp.requestTimeoutNanos - now;
      if (untilDeadline <= 0) {
        log.debug(
            "{}: request not received within {} ms",
            ctx.channel(),
            TimeUnit.NANOSECONDS.toMillis(ilp.requestTimeoutNanos));
        decoder.stop();
        handler.deadlinePassed(ctx);
        return;
      }
    }
    long untilIdle =
        handler.answerPending() ? ilp.idleTimeoutNanos : lastActive + ilp.idleTimeoutNanos - now;
    if (untilIdle <= 0) {
      log.debug(
          "Closing {}: idle for {} ms",
          ctx.channel(),
          TimeUnit.NANOSECONDS.toMillis(ilp.idleTimeoutNanos));
      handler.closeIdle(ctx);
      return;
    }
    schedule(Math.min(untilDeadline, untilIdle));
  }

  private void schedule(long nanos) {
    timer = ctx.executor().schedule(this, nanos, TimeUnit.NANOSECONDS);
  }
}
