package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.stream.ConnectionAssetDetails;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamClose;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.Conditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One payment in progress: probes the rate, then sends money packets within the limits until the
 * amount is fulfilled or something stops it, then closes the stream. Every handler runs on the
 * scheduler and holds this object's lock, so the state needs no other guard.
 */
final class SendRun {
  /** Probes tried before the send fails ("exchange-rate" or "unreachable"). */
  static final int maxProbes = 8;

  /** Prepares that surely never left, retried before the send fails ("unreachable"). */
  static final int maxUnsentRetries = 5;

  /** Temporary rejects in a row before the send fails ("rejected"). */
  static final int maxTemporaryInARow = 20;

  /** Rejects for the receiver's limit in a row before the send stops ("receiver-limit"). */
  static final int maxLimitRejectsInARow = 3;

  /** The most packets on one connection: AES-GCM's safe limit for one key (RFC 0029 §5.1.2). */
  static final long maxSequence = 1L << 31;

  private final SendRequest request;
  private final SenderLimits limits;
  private final PacketLink link;
  private final SendLog log;
  private final Outgoing outgoing;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final ReceiverView receiver;
  private final Congestion congestion;
  final CompletableFuture<SendResult> result = new CompletableFuture<>();

  private long nextSequence;
  private long sent;
  private long delivered;
  private long inDoubt;
  private long inFlightAmount;
  private long inFlightExpected;
  private int inFlight;
  private long pathMax = Unsigned.max;
  private ExchangeRate rate;
  private int rateGeneration;
  private boolean rateRenewed;
  private boolean probing = true;
  private int probes;
  private long probeAmount;
  private int unsentRetries;
  private int limitRejectsInARow;
  private String failure;
  private boolean linkBroken;
  private ScheduledFuture<?> retry;
  private ScheduledFuture<?> idleCheck;
  private Instant lastProgress;
  private boolean closing;

  SendRun(
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
    this.nextSequence = request.firstSequence();
    this.probeAmount = Unsigned.max(1, Unsigned.min(request.amount(), limits.maxPacketAmount()));
  }

  synchronized void start() {
    lastProgress = clock.instant();
    armIdleCheck(limits.idleTimeout());
    probe();
  }

  // ---- probing (RFC 0029 §4.3) ----

  private void probe() {
    if (stopped()) {
      finishIfIdle();
      return;
    }
    if (probes++ >= maxProbes) {
      fail("exchange-rate: no rate after " + maxProbes + " probes");
      finishIfIdle();
      return;
    }
    long sequence = takeSequence();
    if (sequence == 0) {
      return;
    }
    List<StreamFrame> frames = new ArrayList<>(3);
    if (request.openConnection() && !receiver.heard()) {
      // An empty address (as Quilt sends) still asks the receiver for its asset details.
      frames.add(new ConnectionNewAddress(request.ownAddress()));
      frames.add(new ConnectionAssetDetails(request.sourceAssetCode(), request.sourceAssetScale()));
    }
    frames.add(new StreamMoney(request.streamId(), 1));
    long amount = probeAmount;
    IlpPrepare prepare = outgoing.unfulfillable(sequence, amount, frames, expiry());
    inFlight++;
    sendOnLink(prepare)
        .whenCompleteAsync(
            (packet, error) -> onProbeAnswer(sequence, amount, packet, error), scheduler);
  }

  private synchronized void onProbeAnswer(
      long sequence, long amount, IlpPacket packet, Throwable error) {
    inFlight--;
    try {
      probeAnswer(sequence, amount, packet, error);
    } catch (RuntimeException e) {
      fail("internal: " + e);
    }
    finishIfIdle();
  }

  private void probeAnswer(long sequence, long amount, IlpPacket packet, Throwable error) {
    if (stopped()) {
      return;
    }
    if (error != null) {
      LinkException e = linkException(error);
      // A probe carries no money: in doubt or not, it is simply tried again.
      if (unsentRetries++ >= maxUnsentRetries) {
        fail("unreachable: " + e.getMessage());
      } else {
        later(congestion.temporary(), this::probe);
      }
      return;
    }
    if (packet instanceof IlpFulfill) {
      fail("exchange-rate: a probe with a random condition was fulfilled");
      return;
    }
    IlpReject reject = (IlpReject) packet;
    StreamPacket reply =
        ReplyReader.read(outgoing.keys(), reject.data(), IlpPacketType.REJECT, sequence);
    if (reply == null) {
      probeRejected(amount, reject);
      return;
    }
    learn(reply);
    if (stopped()) {
      return;
    }
    long arrived = reply.prepareAmount();
    if (arrived != 0) {
      rate = ExchangeRate.of(arrived, amount);
      probing = false;
      pump();
      return;
    }
    // Nothing arrived: the amount may be below one destination unit. Try ten times more.
    long larger = amount * 10;
    if (Long.compareUnsigned(amount, Unsigned.max / 10) > 0
        || Unsigned.less(Unsigned.min(limits.maxPacketAmount(), pathMax), larger)) {
      fail("exchange-rate: nothing arrives of " + Unsigned.text(amount) + " source units");
      return;
    }
    probeAmount = larger;
    probe();
  }

  private void probeRejected(long amount, IlpReject reject) {
    char family = reject.code().code().charAt(0);
    if (reject.code().equals(IlpErrorCode.F08_AMOUNT_TOO_LARGE)) {
      if (shrinkPath(amount, reject)) {
        probeAmount = Unsigned.min(probeAmount, pathMax);
        probe();
      }
    } else if (family == 'T') {
      if (congestion.temporaryInARow() >= maxTemporaryInARow) {
        fail(rejected(reject));
      } else {
        later(congestion.temporary(), this::probe);
      }
    } else if (reject.code().equals(IlpErrorCode.F99_APPLICATION_ERROR)) {
      fail("exchange-rate: the receiver's reply is unreadable (" + describe(reject) + ")");
    } else {
      fail(rejected(reject));
    }
  }

  // ---- money packets ----

  /** Sends as many money packets as the limits allow. */
  private void pump() {
    if (stopped() || probing || retry != null || closing) {
      return;
    }
    while (inFlight < congestion.window()) {
      long amount = nextAmount();
      if (amount == 0) {
        break;
      }
      if (!sendMoney(amount)) {
        return;
      }
    }
  }

  /** The amount of the next packet, 0 when none may be sent now. */
  private long nextAmount() {
    long remaining = remaining();
    if (remaining == 0) {
      return 0;
    }
    long amount = Unsigned.min(remaining, Unsigned.min(pathMax, limits.maxPacketAmount()));
    amount = Unsigned.min(amount, congestion.packetCap());
    long credit = receiver.credit(inFlightExpected);
    if (credit != Unsigned.max) {
      amount = Unsigned.min(amount, rate.sourceFor(credit));
    }
    return amount;
  }

  private long remaining() {
    return Unsigned.subtract(
        request.amount(), Unsigned.add(Unsigned.add(sent, inDoubt), inFlightAmount));
  }

  private boolean sendMoney(long amount) {
    long sequence = takeSequence();
    if (sequence == 0) {
      return false;
    }
    long minDelivered = rate.minDelivered(amount, limits.maxSlippage());
    long expected = rate.expected(amount);
    Instant expiresAt = expiry();
    IlpPrepare prepare =
        outgoing.fulfillable(
            sequence,
            amount,
            minDelivered,
            List.of(new StreamMoney(request.streamId(), 1)),
            expiresAt);
    Flight flight = new Flight(sequence, amount, minDelivered, expected, rateGeneration, prepare);
    inFlight++;
    inFlightAmount = Unsigned.add(inFlightAmount, amount);
    inFlightExpected = Unsigned.add(inFlightExpected, expected);
    logged(() -> log.prepared(sequence, amount, minDelivered, expiresAt))
        .whenCompleteAsync((ok, error) -> onPrepared(flight, error), scheduler);
    return true;
  }

  private synchronized void onPrepared(Flight flight, Throwable error) {
    if (error != null) {
      land(flight);
      fail("log: recording Prepare " + flight.sequence() + " failed: " + cause(error));
      finishIfIdle();
      return;
    }
    // Once recorded it goes out even if the send is stopping: the log expects its answer.
    sendOnLink(flight.prepare())
        .whenCompleteAsync((packet, e) -> onMoneyAnswer(flight, packet, e), scheduler);
  }

  private synchronized void onMoneyAnswer(Flight flight, IlpPacket packet, Throwable error) {
    Answer answer;
    try {
      answer = Answer.of(flight, packet, error, outgoing.keys());
    } catch (RuntimeException e) {
      answer = Answer.inDoubt("unreadable answer: " + e);
    }
    Answer decided = answer;
    CompletableFuture<Void> record =
        logged(
            () ->
                switch (decided.kind()) {
                  case FULFILLED -> log.fulfilled(flight.sequence(), decided.delivered());
                  case REJECTED, UNSENT -> log.rejected(flight.sequence());
                  case IN_DOUBT -> log.inDoubt(flight.sequence());
                });
    record.whenCompleteAsync((ok, e) -> onRecorded(flight, decided, e), scheduler);
  }

  private synchronized void onRecorded(Flight flight, Answer answer, Throwable logError) {
    land(flight);
    try {
      apply(flight, answer);
    } catch (RuntimeException e) {
      fail("internal: " + e);
    }
    if (logError != null) {
      fail("log: recording the answer to " + flight.sequence() + " failed: " + cause(logError));
    }
    pump();
    finishIfIdle();
  }

  private void apply(Flight flight, Answer answer) {
    if (answer.reply() != null) {
      learn(answer.reply());
    }
    switch (answer.kind()) {
      case FULFILLED -> {
        sent = Unsigned.add(sent, flight.amount());
        delivered = Unsigned.add(delivered, answer.delivered());
        receiver.delivered(answer.delivered());
        lastProgress = clock.instant();
        congestion.fulfilled();
        unsentRetries = 0;
        limitRejectsInARow = 0;
      }
      case IN_DOUBT -> {
        inDoubt = Unsigned.add(inDoubt, flight.amount());
        linkBroken = true;
        // Overrides any other reason: money may have left, which the caller must see first.
        failure = "in-doubt: " + answer.detail();
      }
      case UNSENT -> {
        if (unsentRetries++ >= maxUnsentRetries) {
          linkBroken = true;
          fail("unreachable: " + answer.detail());
        } else {
          later(congestion.temporary(), this::pump);
        }
      }
      case REJECTED -> rejected(flight, answer);
    }
  }

  private void rejected(Flight flight, Answer answer) {
    IlpReject reject = answer.reject();
    IlpErrorCode code = reject.code();
    StreamPacket reply = answer.reply();
    if (code.equals(IlpErrorCode.F08_AMOUNT_TOO_LARGE)) {
      shrinkPath(flight.amount(), reject);
    } else if (code.equals(IlpErrorCode.T04_INSUFFICIENT_LIQUIDITY)) {
      later(congestion.insufficientLiquidity(flight.amount()), this::pump);
    } else if (code.code().charAt(0) == 'T') {
      if (congestion.temporaryInARow() >= maxTemporaryInARow) {
        fail(rejected(reject));
      } else {
        later(congestion.temporary(), this::pump);
      }
    } else if (code.equals(IlpErrorCode.F99_APPLICATION_ERROR) && reply != null) {
      declinedByReceiver(flight, reply, reject);
    } else {
      fail(rejected(reject));
    }
  }

  /** An F99 with the receiver's reply: too little arrived, its limit, or a refusal. */
  private void declinedByReceiver(Flight flight, StreamPacket reply, IlpReject reject) {
    long arrived = reply.prepareAmount();
    if (Unsigned.less(arrived, flight.minDelivered())) {
      if (flight.rateGeneration() < rateGeneration) {
        return; // sent at a rate already renewed
      }
      if (rateRenewed || arrived == 0) {
        fail(
            "exchange-rate: the rate moved beyond the slippage: "
                + Unsigned.text(arrived)
                + " arrived of at least "
                + Unsigned.text(flight.minDelivered()));
        return;
      }
      // The reply is a probe of the path at this very amount: renew the rate from it, once.
      rateRenewed = true;
      rateGeneration++;
      rate = ExchangeRate.of(arrived, flight.amount());
      return;
    }
    if (receiver.limitKnown() && limitRejectsInARow++ < maxLimitRejectsInARow) {
      return; // the reply told the stream's limit: the next packets fit in it
    }
    fail(rejected(reject));
  }

  // ---- what the receiver tells ----

  private void learn(StreamPacket reply) {
    receiver.learn(reply.frames());
    if (receiver.assetMismatch() != null) {
      fail(receiver.assetMismatch());
    }
  }

  /** F08: shrink the path's maximum by {@code maximumAmount / receivedAmount} (RFC 0027). */
  private boolean shrinkPath(long amount, IlpReject reject) {
    long max = AmountTooLarge.maxSourceAmount(amount, reject.data());
    pathMax = Unsigned.min(pathMax, max);
    if (pathMax == 0) {
      fail(rejected(reject));
      return false;
    }
    return true;
  }

  // ---- ending ----

  private boolean stopped() {
    return failure != null || receiver.closed() != null;
  }

  private void fail(String reason) {
    if (failure == null) {
      failure = reason;
    }
  }

  private void finishIfIdle() {
    if (result.isDone() || closing || inFlight > 0) {
      return;
    }
    if (!stopped()) {
      if (retry != null || probing) {
        return;
      }
      if (remaining() != 0) {
        if (nextAmount() != 0) {
          return;
        }
        // Nothing in flight and nothing fits: the receiver takes no more.
        failure = receiverLimit("");
      }
    }
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    close();
  }

  /** The final zero-amount packet: StreamClose, and ConnectionClose for our own connection. */
  private void close() {
    closing = true;
    if (linkBroken || !receiver.heard() || receiver.closed() != null) {
      complete();
      return;
    }
    long sequence = takeSequence();
    if (sequence == 0) {
      complete();
      return;
    }
    boolean ok = failure == null;
    StreamErrorCode code = ok ? StreamErrorCode.NO_ERROR : StreamErrorCode.APPLICATION_ERROR;
    String message = ok ? "" : failure;
    List<StreamFrame> frames = new ArrayList<>(2);
    frames.add(new StreamClose(request.streamId(), code, message));
    if (request.openConnection()) {
      frames.add(new ConnectionClose(code, message));
    }
    sendOnLink(outgoing.fulfillable(sequence, 0, 0, frames, expiry()))
        .whenCompleteAsync((packet, error) -> complete(), scheduler);
  }

  private synchronized void complete() {
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    boolean completed = failure == null && sent == request.amount();
    String error = failure;
    if (!completed && error == null) {
      error = receiverLimit(" (the receiver closed the stream: " + receiver.closed() + ")");
    }
    result.complete(
        new SendResult(
            completed ? SendResult.Status.COMPLETED : SendResult.Status.FAILED,
            sent,
            delivered,
            inDoubt,
            nextSequence,
            Optional.ofNullable(completed ? null : error),
            receiver.asset(),
            receiver.receipts()));
  }

  private String receiverLimit(String why) {
    return "receiver-limit: accepted "
        + Unsigned.text(sent)
        + " of "
        + Unsigned.text(request.amount())
        + why;
  }

  // ---- plumbing ----

  private long takeSequence() {
    if (Long.compareUnsigned(nextSequence, maxSequence) > 0) {
      fail("rejected: the connection used all " + maxSequence + " packets");
      return 0;
    }
    return nextSequence++;
  }

  private Instant expiry() {
    return clock.instant().plus(limits.packetExpiry());
  }

  private void land(Flight flight) {
    inFlight--;
    inFlightAmount = Unsigned.subtract(inFlightAmount, flight.amount());
    inFlightExpected = Unsigned.subtract(inFlightExpected, flight.expected());
  }

  private void later(Duration wait, Runnable then) {
    if (retry != null) {
      return; // one wait at a time: packets rejected together back off together
    }
    retry =
        scheduler.schedule(
            () -> {
              synchronized (this) {
                retry = null;
                then.run();
                finishIfIdle();
              }
            },
            wait.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  private void armIdleCheck(Duration wait) {
    idleCheck = scheduler.schedule(this::checkIdle, wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  private synchronized void checkIdle() {
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

  /** The link's answer; a throwing link is an answer of unknown outcome. */
  private CompletableFuture<IlpPacket> sendOnLink(IlpPrepare prepare) {
    try {
      return link.send(prepare);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new LinkException(e.toString(), true, e));
    }
  }

  private static CompletableFuture<Void> logged(
      java.util.function.Supplier<CompletableFuture<Void>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  static LinkException linkException(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e instanceof LinkException l ? l : new LinkException(e.toString(), true, e);
  }

  private static String cause(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e.toString();
  }

  static String rejected(IlpReject reject) {
    return "rejected: " + describe(reject);
  }

  private static String describe(IlpReject reject) {
    return reject.code().code() + " " + reject.message();
  }

  /** A money Prepare awaiting its answer. */
  record Flight(
      long sequence,
      long amount,
      long minDelivered,
      long expected,
      int rateGeneration,
      IlpPrepare prepare) {}

  static boolean fulfills(IlpFulfill fulfill, IlpPrepare prepare) {
    return Conditions.fulfills(fulfill.fulfillment(), prepare.executionCondition());
  }
}
