package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.stream.ConnectionAssetDetails;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One payment in progress: probes the rate, then sends money packets within the limits until the
 * amount is fulfilled or something stops it; {@link SendLifecycle} closes and completes. Every
 * handler runs on the scheduler and holds this object's lock, so the state needs no other guard.
 */
final class SendRun extends SendLifecycle {
  /**
   * Prepares that surely never left (or probes that failed on the link), retried before giving up.
   */
  static final int maxUnsentRetries = 5;

  /** Temporary rejects in a row before the send fails ("rejected"). */
  static final int maxTemporaryInARow = 20;

  /** Rejects for the receiver's limit in a row before the send stops ("receiver-limit"). */
  static final int maxLimitRejectsInARow = 3;

  private final RateProbe probe;
  private int rateGeneration;
  private boolean rateRenewed;
  private int unsentRetries;
  private int limitRejectsInARow;

  SendRun(
      SendRequest request,
      PacketLink link,
      SendLog log,
      Outgoing outgoing,
      ScheduledExecutorService scheduler,
      Clock clock) {
    super(request, link, log, outgoing, scheduler, clock);
    this.probe = new RateProbe(Unsigned.min(request.amount(), limits.maxPacketAmount()));
  }

  synchronized void start() {
    lastProgress = clock.instant();
    lastExpiry = lastProgress;
    armIdleCheck(limits.idleTimeout());
    sendProbe();
    finishIfIdle();
  }

  // ---- probing the rate (RFC 0029 §4.3) ----

  private void sendProbe() {
    if (stopped()) {
      return;
    }
    if (!probe.attempt()) {
      fail("exchange-rate: no rate after " + RateProbe.maxProbes + " probes");
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
    long amount = probe.amount();
    IlpPrepare prepare = outgoing.unfulfillable(sequence, amount, frames, expiry());
    tally.launchedEmpty();
    Links.send(link, prepare)
        .whenCompleteAsync(
            (packet, error) -> onProbeAnswer(sequence, amount, packet, error), scheduler);
  }

  private synchronized void onProbeAnswer(
      long sequence, long amount, IlpPacket packet, Throwable error) {
    if (result.isDone()) {
      return;
    }
    tally.landedEmpty();
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
      // A probe carries no money: in doubt or not, it is simply tried again.
      if (unsentRetries++ >= maxUnsentRetries) {
        fail("unreachable: " + Links.linkException(error).getMessage());
      } else {
        later(congestion.temporary(), this::sendProbe);
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
    if (reply.prepareAmount() != 0) {
      rate = ExchangeRate.of(reply.prepareAmount(), amount);
      pump();
    } else if (probe.grow(Unsigned.min(limits.maxPacketAmount(), pathMax))) {
      sendProbe(); // nothing arrived: the amount may be below one destination unit
    } else {
      fail("exchange-rate: nothing arrives of " + Unsigned.text(amount) + " source units");
    }
  }

  private void probeRejected(long amount, IlpReject reject) {
    if (reject.code().equals(IlpErrorCode.F08_AMOUNT_TOO_LARGE)) {
      if (shrinkPath(amount, reject)) {
        probe.shrink(pathMax);
        sendProbe();
      }
    } else if (Links.temporary(reject)) {
      if (congestion.temporaryInARow() >= maxTemporaryInARow) {
        fail(Links.rejected(reject));
        return;
      }
      if (reject.code().equals(IlpErrorCode.T04_INSUFFICIENT_LIQUIDITY)) {
        probe.shrink(Unsigned.max(1, amount >>> 1));
      }
      later(congestion.temporary(), this::sendProbe);
    } else if (reject.code().equals(IlpErrorCode.F99_APPLICATION_ERROR)) {
      fail("exchange-rate: the receiver's reply is unreadable (" + Links.describe(reject) + ")");
    } else {
      fail(Links.rejected(reject));
    }
  }

  // ---- money packets ----

  /** Sends as many money packets as the limits allow. */
  private void pump() {
    if (stopped() || rate == null || retry != null || closing) {
      return;
    }
    while (tally.packetsInFlight() < congestion.window()) {
      long amount = nextAmount();
      if (amount != 0 && rate.expected(amount) == 0) {
        // Below one destination unit: the whole packet would be lost to rounding.
        fail(
            "exchange-rate: "
                + Unsigned.text(amount)
                + " source units deliver nothing at the rate "
                + rate);
        return;
      }
      if (amount == 0 || !sendMoney(amount)) {
        return;
      }
    }
  }

  @Override
  long nextAmount() {
    long amount = Unsigned.min(tally.remaining(), Unsigned.min(pathMax, limits.maxPacketAmount()));
    amount = Unsigned.min(amount, congestion.packetCap());
    long credit = receiver.credit(tally.inFlightExpected());
    return credit == Unsigned.max ? amount : Unsigned.min(amount, rate.sourceFor(credit));
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
    tally.launched(amount, expected);
    Links.record(() -> log.prepared(sequence, amount, minDelivered, expiresAt))
        .whenCompleteAsync((ok, error) -> onPrepared(flight, error), scheduler);
    return true;
  }

  private synchronized void onPrepared(Flight flight, Throwable error) {
    if (error != null) {
      if (!result.isDone()) {
        tally.landed(flight.amount(), flight.expected());
        fail("log: recording Prepare " + flight.sequence() + " failed: " + Links.unwrap(error));
        finishIfIdle();
      }
      return;
    }
    // Recording took more than half the Prepare's life: too little left to cross the path and back.
    Instant latest = flight.prepare().expiresAt().minus(limits.packetExpiry().dividedBy(2));
    if (result.isDone() || clock.instant().isAfter(latest)) {
      // Recorded but not sent (given up, or too late to come back): the log hears it was rejected.
      unanswered.put(flight.sequence(), flight);
      onMoneyAnswer(flight, null, new LinkException("not sent: too late", false, null));
      return;
    }
    // Once recorded it goes out even if the send is stopping: the log expects its answer.
    unanswered.put(flight.sequence(), flight);
    Links.send(link, flight.prepare())
        .whenCompleteAsync((packet, e) -> onMoneyAnswer(flight, packet, e), scheduler);
  }

  private synchronized void onMoneyAnswer(Flight flight, IlpPacket packet, Throwable error) {
    if (unanswered.remove(flight.sequence()) == null) {
      return; // the watchdog has counted it in doubt already
    }
    Answer answer;
    try {
      answer = Answer.of(flight, packet, error, outgoing.keys());
    } catch (RuntimeException e) {
      answer = Answer.inDoubt("unreadable answer: " + e);
    }
    Answer decided = answer;
    Links.record(
            () ->
                switch (decided.kind()) {
                  case FULFILLED -> log.fulfilled(flight.sequence(), decided.delivered());
                  case REJECTED, UNSENT, BUSY -> log.rejected(flight.sequence());
                  case IN_DOUBT -> log.inDoubt(flight.sequence());
                })
        .whenCompleteAsync((ok, e) -> onRecorded(flight, decided, e), scheduler);
  }

  private synchronized void onRecorded(Flight flight, Answer answer, Throwable logError) {
    if (result.isDone()) {
      return;
    }
    tally.landed(flight.amount(), flight.expected());
    try {
      apply(flight, answer);
    } catch (RuntimeException e) {
      fail("internal: " + e);
    }
    if (logError != null) {
      fail(
          "log: recording the answer to "
              + flight.sequence()
              + " failed: "
              + Links.unwrap(logError));
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
        tally.fulfilled(flight.amount(), answer.delivered());
        receiver.delivered(answer.delivered());
        lastProgress = clock.instant();
        congestion.fulfilled();
        unsentRetries = 0;
        limitRejectsInARow = 0;
      }
      case IN_DOUBT -> {
        tally.inDoubt(flight.amount());
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
      case BUSY -> later(congestion.temporary(), this::pump);
      case REJECTED -> rejected(flight, answer.reject(), answer.reply());
    }
  }

  private void rejected(Flight flight, IlpReject reject, StreamPacket reply) {
    IlpErrorCode code = reject.code();
    if (code.equals(IlpErrorCode.F08_AMOUNT_TOO_LARGE)) {
      shrinkPath(flight.amount(), reject);
    } else if (code.equals(IlpErrorCode.T04_INSUFFICIENT_LIQUIDITY)) {
      later(congestion.insufficientLiquidity(flight.amount()), this::pump);
    } else if (Links.temporary(reject)) {
      if (congestion.temporaryInARow() >= maxTemporaryInARow) {
        fail(Links.rejected(reject));
      } else {
        later(congestion.temporary(), this::pump);
      }
    } else if (code.equals(IlpErrorCode.F99_APPLICATION_ERROR) && reply != null) {
      declinedByReceiver(flight, reply, reject);
    } else {
      fail(Links.rejected(reject));
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
    if (receiver.limitKnown()) {
      if (Unsigned.less(receiver.credit(0), arrived)) {
        return; // it did not fit in what the stream still takes: later packets are sized to it
      }
      if (limitRejectsInARow++ < maxLimitRejectsInARow) {
        return; // the reply told the stream's limit just now: the next packets fit in it
      }
    }
    fail(Links.rejected(reject));
  }
}
