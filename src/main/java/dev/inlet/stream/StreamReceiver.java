package dev.inlet.stream;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.StreamKeys;
import dev.inlet.crypto.TargetKind;
import dev.inlet.ledger.Ledger;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.stream.ConnectionCredentials.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The STREAM receiver (RFC 0029 §4–6): turns each ILP Prepare addressed to one of its connections
 * into a Fulfill or a Reject, never an exception. It decrypts the Prepare with the connection's
 * shared secret (F06 when it cannot), reads the frames, decides, lets the {@link Ledger} credit the
 * money durably, and only then answers — a Fulfill for the credited packet, an F99 Reject with an
 * encrypted STREAM reply for what it declines (too little money, an unfulfillable probe, a broken
 * limit), R00 for a Prepare about to expire. Every reply that can be encrypted carries the amount
 * that arrived and each stream's totals and limit.
 *
 * <p>It also knows how many Prepares it has taken and not yet answered, so that whatever transport
 * feeds it can shut down without losing an answer: {@link #stopAccepting}, then {@link #awaitIdle},
 * then close the transport.
 */
public final class StreamReceiver {
  private final IlpAddress address;
  private final ConnectionCredentials credentials;
  private final Ledger ledger;
  private final Replies replies;
  private final Clock clock;
  private final PacketAdmission admission;
  private volatile boolean accepting = true;
  private volatile PayingConnections paying = PayingConnections.none;

  /**
   * The same Reject for every packet over a rate or past a full ledger: refusing allocates nothing.
   */
  private final IlpReject flowRateReject;

  private final IlpReject senderQuotaReject;
  private final IlpReject ledgerBusyReject;

  /** Prepares taken whose answer is not built yet. */
  private final AtomicInteger unanswered = new AtomicInteger();

  /**
   * @param address this receiver's ILP address (connections live below it)
   * @param assetCode asset code told to senders in {@code ConnectionAssetDetails}
   * @param assetScale asset scale, 0..255
   */
  public StreamReceiver(
      IlpAddress address,
      String assetCode,
      int assetScale,
      ConnectionTokens tokens,
      Ledger ledger,
      Clock clock) {
    this(address, assetCode, assetScale, tokens, ledger, clock, PacketAdmission.admitAll);
  }

  /**
   * As above, asking {@code admission} about every decrypted Prepare before the ledger: a packet
   * over a flow rate is rejected T05 without reaching the ledger; one from a blocked sender is
   * rejected F99 with {@code ConnectionClose(ApplicationError, "sender-blocked")}, and the ledger
   * closes its connection.
   */
  public StreamReceiver(
      IlpAddress address,
      String assetCode,
      int assetScale,
      ConnectionTokens tokens,
      Ledger ledger,
      Clock clock,
      PacketAdmission admission) {
    this.address = address;
    this.credentials = new ConnectionCredentials(address, tokens);
    this.ledger = ledger;
    this.replies = new Replies(address, assetCode, assetScale);
    this.clock = clock;
    this.admission = admission;
    this.flowRateReject =
        replies.reject(
            IlpErrorCode.T05_RATE_LIMITED,
            AdmissionReason.FLOW_RATE.code()
                + ": over the connection's or account's money per second");
    this.senderQuotaReject =
        replies.reject(
            IlpErrorCode.T05_RATE_LIMITED,
            AdmissionReason.SENDER_QUOTA.code() + ": over the sender's money per second");
    this.ledgerBusyReject =
        replies.reject(
            IlpErrorCode.T03_CONNECTOR_BUSY,
            AdmissionReason.SYSTEM_LIMIT.code() + ": the ledger's queue is full, try again");
  }

  /**
   * Who is told what the peers of connections Inlet pays on (vouchers', mandates') say; until set,
   * such connections are closed.
   */
  public void payOn(PayingConnections paying) {
    this.paying = paying;
  }

  /**
   * Handles one Prepare. What needs no ledger (expiry, decryption, the frames) runs on the calling
   * thread.
   *
   * @param replyOn where the reply is built and encrypted, and the returned future completed, once
   *     the ledger has answered — the caller's I/O thread, say, so the answer is written without
   *     another hop; the ledger's own thread only hands the outcome over. Should it refuse the task
   *     (shut down), the ledger's thread does the work.
   * @return the Fulfill or Reject to send back; completes after the ledger has committed any credit
   *     (at once when the ledger is not needed)
   */
  public CompletableFuture<IlpPacket> receive(IlpPrepare prepare, Executor replyOn) {
    // Counted before the check: awaitIdle, which runs after stopAccepting, then sees every Prepare
    // that passed it.
    unanswered.incrementAndGet();
    CompletableFuture<IlpPacket> reply;
    try {
      reply = decide(prepare, replyOn);
    } catch (RuntimeException e) {
      unanswered.decrementAndGet();
      throw e;
    }
    reply.whenComplete((packet, error) -> unanswered.decrementAndGet());
    return reply;
  }

  /**
   * Stops taking Prepares: from now on each is rejected T00 without reaching the ledger, so that a
   * response lost to a closing connection can never hide a credit. Prepares already taken still
   * complete.
   */
  public void stopAccepting() {
    accepting = false;
  }

  /**
   * Waits until every Prepare taken has its answer (the future {@link #receive} returned has
   * completed), or {@code timeout} passes. For shutdown, after {@link #stopAccepting}: the
   * transport must still write the answers that complete meanwhile, and close only then.
   *
   * @return whether none is left unanswered
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (unanswered.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private CompletableFuture<IlpPacket> decide(IlpPrepare prepare, Executor replyOn) {
    if (!accepting) {
      // T-family: the connector may retry on another replica; nothing was credited.
      return done(replies.reject(IlpErrorCode.T00_INTERNAL_ERROR, "Receiver is shutting down"));
    }
    if (prepare.expiresAt().isBefore(clock.instant().plus(ReceiverLimits.minExpiryWindow))) {
      return done(
          replies.reject(
              IlpErrorCode.R00_TRANSFER_TIMED_OUT, "Prepare expired or about to expire"));
    }
    Credentials connection = credentials.resolve(prepare.destination());
    if (connection == null) {
      return done(replies.reject(IlpErrorCode.F06_UNEXPECTED_PAYMENT, "No such STREAM connection"));
    }
    StreamPacket packet = open(connection.keys(), prepare.data());
    if (packet == null) {
      return done(
          replies.reject(
              IlpErrorCode.F06_UNEXPECTED_PAYMENT, "Data does not decrypt to a STREAM Prepare"));
    }
    if (connection.token().kind().paysOut()) {
      return done(answerPayingConnection(prepare, packet, connection));
    }
    PacketPlan planned = PacketPlan.of(packet, prepare.amount());
    AdmissionReason refused =
        admission.admit(
            connection.token().kind() == TargetKind.ACCOUNT ? connection.token().targetId() : 0,
            connection.token().kind() == TargetKind.INVOICE ? connection.token().targetId() : 0,
            connection.token().connectionId(),
            packet.sequence(),
            planned.sourceAddress(),
            prepare.amount());
    if (refused == AdmissionReason.FLOW_RATE || refused == AdmissionReason.SENDER_QUOTA) {
      // Temporary and nothing to record: the ledger never sees it, the sender retries slower.
      return done(refused == AdmissionReason.FLOW_RATE ? flowRateReject : senderQuotaReject);
    }
    PacketPlan plan = refused == null ? planned : planned.refused(refused);
    byte[] fulfillment = connection.keys().fulfillment(prepare.data());
    String decline = decline(prepare, packet, plan, fulfillment);
    PacketRecord record =
        new PacketRecord(
            connection.token().connectionId(),
            // An invoice's account is the ledger's to find (it reads the invoice anyway).
            connection.token().kind() == TargetKind.ACCOUNT ? connection.token().targetId() : 0,
            connection.token().kind() == TargetKind.INVOICE ? connection.token().targetId() : 0,
            plan.sourceAddress(),
            packet.sequence(),
            prepare.amount(),
            prepare.expiresAt(),
            decline == null,
            plan.closeConnection() || plan.violation() != null,
            plan.streams(),
            plan.data());
    return ledger
        .apply(record)
        .handleAsync(
            (outcome, error) ->
                answer(
                    prepare,
                    packet,
                    plan,
                    connection,
                    fulfillment,
                    decline,
                    error == null ? outcome : PacketOutcome.of(Outcome.UNAVAILABLE)),
            orInline(replyOn));
  }

  /**
   * Why the receiver declines a packet before the ledger sees it, or null when it would fulfil it.
   */
  private static String decline(
      IlpPrepare prepare, StreamPacket packet, PacketPlan plan, byte[] fulfillment) {
    if (plan.violation() != null) {
      return plan.violationMessage();
    }
    if (!Conditions.fulfills(fulfillment, prepare.executionCondition())) {
      return "Unfulfillable condition";
    }
    if (Long.compareUnsigned(prepare.amount(), packet.prepareAmount()) < 0) {
      return "Amount "
          + Long.toUnsignedString(prepare.amount())
          + " is below the sender's minimum "
          + Long.toUnsignedString(packet.prepareAmount());
    }
    if (plan.moneyWithoutStream()) {
      return "Money without a StreamMoney frame to credit";
    }
    return null;
  }

  private IlpPacket answer(
      IlpPrepare prepare,
      StreamPacket packet,
      PacketPlan plan,
      Credentials connection,
      byte[] fulfillment,
      String decline,
      PacketOutcome outcome) {
    Replies.Reply reply =
        replies.reply(
            packet.sequence(),
            prepare.amount(),
            plan,
            outcome,
            connection.token().receipts().orElse(null));
    if (outcome.outcome().fulfils()) {
      return new IlpFulfill(
          fulfillment, connection.keys().encrypt(reply.stream(IlpPacketType.FULFILL)));
    }
    return switch (outcome.outcome()) {
      case BUSY -> {
        admission.ledgerBusy(connection.token().connectionId());
        yield ledgerBusyReject;
      }
      case UNAVAILABLE ->
          replies.reject(IlpErrorCode.T00_INTERNAL_ERROR, "Ledger unavailable, try again");
      case EXPIRED ->
          replies.reject(
              IlpErrorCode.R00_TRANSFER_TIMED_OUT, "Prepare expired before it was credited");
      default ->
          new IlpReject(
              IlpErrorCode.F99_APPLICATION_ERROR,
              Optional.of(address),
              decline != null ? decline : Replies.describe(outcome.outcome()),
              connection.keys().encrypt(reply.stream(IlpPacketType.REJECT)));
    };
  }

  /**
   * A packet on a connection Inlet pays on: never fulfilled (no money comes in on it). The F99
   * reply tells the amount that arrived — the peer's rate probes learn the rate from it (RFC 0029
   * §4.3) — and a {@code ConnectionClose} when the connection cannot be paid on.
   */
  private IlpPacket answerPayingConnection(
      IlpPrepare prepare, StreamPacket packet, Credentials connection) {
    PeerFrames frames = PeerFrames.of(packet);
    String close = paying.heard(connection.token(), frames).orElse(null);
    PacketPlan plan = PacketPlan.of(packet, prepare.amount());
    Replies.Reply reply =
        replies.payingReply(packet.sequence(), prepare.amount(), plan.newAddress(), close);
    return new IlpReject(
        IlpErrorCode.F99_APPLICATION_ERROR,
        Optional.of(address),
        close != null ? close : "This connection pays out and takes no money",
        connection.keys().encrypt(reply.stream(IlpPacketType.REJECT)));
  }

  private static StreamPacket open(StreamKeys keys, byte[] data) {
    try {
      StreamPacket packet = StreamCodec.decode(keys.decrypt(data));
      // A STREAM packet must travel in the ILP packet type it names (RFC 0029 §5.2).
      return packet.ilpPacketType() == IlpPacketType.PREPARE ? packet : null;
    } catch (DecryptionException | DecodeException e) {
      return null;
    }
  }

  /**
   * {@code executor}, or the completing thread once it refuses work: a RejectedExecutionException
   * would otherwise be thrown into the ledger's thread from its {@code complete} call.
   */
  private static Executor orInline(Executor executor) {
    return task -> {
      try {
        executor.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
  }

  private static CompletableFuture<IlpPacket> done(IlpPacket packet) {
    return CompletableFuture.completedFuture(packet);
  }
}
