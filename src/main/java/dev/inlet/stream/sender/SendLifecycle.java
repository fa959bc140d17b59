package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.StreamClose;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamPacket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The state of one send and its life around the protocol steps {@link SendRun} takes: what the
 * receiver told, the stop reason, timers (backoff, idle timeout, the watchdog), the final close
 * packet and the result. Every method runs holding this object's lock.
 */
abstract class SendLifecycle {
  /** The most packets on one connection: AES-GCM's safe limit for one key (RFC 0029 §5.1.2). */
  static final long maxSequence = 1L << 31;

  /**
   * How long past the last Prepare's expiry the link and log may take to answer (the link promises
   * "a small margin"); then what is still open counts as in doubt and the result completes anyway.
   */
  static final Duration answerGrace = Duration.ofSeconds(2);

  final SendRequest request;
  final SenderLimits limits;
  final PacketLink link;
  final SendLog log;
  final Outgoing outgoing;
  final ScheduledExecutorService scheduler;
  final Clock clock;
  final ReceiverView receiver;
  final Congestion congestion;
  final Tally tally;
  final CompletableFuture<SendResult> result = new CompletableFuture<>();

  /** Money Prepares sent and not answered yet, by sequence. */
  final Map<Long, Flight> unanswered = new HashMap<>();

  long nextSequence;
  long pathMax = Unsigned.max;
  ExchangeRate rate;
  String failure;
  boolean linkBroken;
  boolean closing;
  ScheduledFuture<?> retry;
  ScheduledFuture<?> idleCheck;
  ScheduledFuture<?> watchdog;
  Instant lastProgress;
  Instant lastExpiry;

  SendLifecycle(
      SendRequest request,
      PacketLink link,
      SendLog log,
      Outgoing outgoing,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.request = request;
    this.limits = request.limits();
    this.link = link;
    this.log = log;
    this.outgoing = outgoing;
    this.scheduler = scheduler;
    this.clock = clock;
    this.receiver = new ReceiverView(request.streamId(), request.expectedAsset());
    this.congestion = new Congestion(limits.maxInFlight());
    this.tally = new Tally(request.amount());
    this.nextSequence = request.firstSequence();
  }

  /** The amount of the next money packet, 0 when none may be sent now. */
  abstract long nextAmount();

  void learn(StreamPacket reply) {
    receiver.learn(reply.frames());
    if (receiver.assetMismatch() != null) {
      fail(receiver.assetMismatch());
    }
  }

  /** F08: shrink the path's maximum by {@code maximumAmount / receivedAmount} (RFC 0027). */
  boolean shrinkPath(long amount, IlpReject reject) {
    pathMax = Unsigned.min(pathMax, AmountTooLarge.maxSourceAmount(amount, reject.data()));
    if (pathMax == 0) {
      fail(Links.rejected(reject));
      return false;
    }
    return true;
  }

  // ---- ending ----

  boolean stopped() {
    return failure != null || receiver.closed() != null;
  }

  void fail(String reason) {
    if (failure == null) {
      failure = reason;
    }
  }

  void finishIfIdle() {
    if (result.isDone() || closing) {
      return;
    }
    if (tally.packetsInFlight() > 0) {
      if (stopped()) {
        armWatchdog();
      }
      return;
    }
    if (!stopped()) {
      if (retry != null || rate == null) {
        return;
      }
      if (tally.remaining() != 0) {
        if (nextAmount() != 0) {
          return;
        }
        // Nothing in flight and nothing fits: the receiver takes no more.
        failure = receiverLimit("");
      }
    }
    cancel(retry);
    retry = null;
    close();
  }

  /** The final zero-amount packet: StreamClose, and ConnectionClose for our own connection. */
  void close() {
    closing = true;
    long sequence = 0;
    if (!linkBroken && receiver.heard() && receiver.closed() == null) {
      sequence = takeSequence();
    }
    if (sequence == 0) {
      complete();
      return;
    }
    boolean ok = failure == null;
    StreamErrorCode code = ok ? StreamErrorCode.NO_ERROR : StreamErrorCode.APPLICATION_ERROR;
    // Only the slug: the detail may name our own failures, which are none of the receiver's
    // business.
    String message = ok ? "" : failure.substring(0, Math.max(0, failure.indexOf(':')));
    List<StreamFrame> frames = new ArrayList<>(2);
    frames.add(new StreamClose(request.streamId(), code, message));
    if (request.openConnection()) {
      frames.add(new ConnectionClose(code, message));
    }
    IlpPrepare prepare = outgoing.fulfillable(sequence, 0, 0, frames, expiry());
    armWatchdog();
    Links.send(link, prepare).whenCompleteAsync((packet, error) -> complete(), scheduler);
  }

  synchronized void complete() {
    if (result.isDone()) {
      return;
    }
    cancel(idleCheck);
    cancel(watchdog);
    cancel(retry);
    boolean completed = failure == null && tally.sent() == tally.amount();
    String error = failure;
    if (!completed && error == null) {
      error = receiverLimit(" (the receiver closed the stream: " + receiver.closed() + ")");
    }
    result.complete(
        new SendResult(
            completed ? SendResult.Status.COMPLETED : SendResult.Status.FAILED,
            tally.sent(),
            tally.delivered(),
            tally.inDoubt(),
            nextSequence,
            Optional.ofNullable(completed ? null : error),
            receiver.asset(),
            receiver.receipts()));
  }

  String receiverLimit(String why) {
    return "receiver-limit: accepted "
        + Unsigned.text(tally.sent())
        + " of "
        + Unsigned.text(tally.amount())
        + why;
  }

  /**
   * Completes the result even if the link or the log breaks its promise to answer: what is still
   * open is then in doubt (and recorded so when it was sent).
   */
  void armWatchdog() {
    if (watchdog != null) {
      return;
    }
    Duration wait = Duration.between(clock.instant(), lastExpiry).plus(answerGrace);
    watchdog = scheduler.schedule(this::giveUp, Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
  }

  synchronized void giveUp() {
    if (result.isDone()) {
      return;
    }
    for (Flight flight : unanswered.values()) {
      Links.record(() -> log.inDoubt(flight.sequence()));
    }
    unanswered.clear();
    if (tally.inFlight() != 0) {
      tally.abandonInFlight();
      failure = "in-doubt: no answer from the link or the log in time";
    } else if (tally.packetsInFlight() > 0) {
      fail("timeout: no answer from the link in time");
    }
    complete();
  }

  // ---- plumbing ----

  long takeSequence() {
    if (Long.compareUnsigned(nextSequence, maxSequence) > 0) {
      fail("rejected: the connection used all " + maxSequence + " packets");
      return 0;
    }
    return nextSequence++;
  }

  Instant expiry() {
    Instant expiresAt = clock.instant().plus(limits.packetExpiry());
    lastExpiry = expiresAt;
    return expiresAt;
  }

  void later(Duration wait, Runnable then) {
    if (retry != null) {
      return; // one wait at a time: packets rejected together back off together
    }
    retry = scheduler.schedule(() -> retry(then), wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  synchronized void retry(Runnable then) {
    retry = null;
    if (result.isDone()) {
      return;
    }
    then.run();
    finishIfIdle();
  }

  void armIdleCheck(Duration wait) {
    idleCheck = scheduler.schedule(this::checkIdle, wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  synchronized void checkIdle() {
    if (result.isDone()) {
      return;
    }
    Duration idle = Duration.between(lastProgress, clock.instant());
    if (idle.compareTo(limits.idleTimeout()) >= 0) {
      fail("timeout: nothing fulfilled for " + idle.toMillis() + " ms");
      finishIfIdle();
    } else {
      armIdleCheck(limits.idleTimeout().minus(idle));
    }
  }

  static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }
}
