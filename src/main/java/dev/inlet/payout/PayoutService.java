package dev.inlet.payout;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.stream.StreamReceipt;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.ReceiptCredentials;
import dev.inlet.crypto.Receipts;
import dev.inlet.crypto.Sealer;
import dev.inlet.jobs.PeriodicJob;
import dev.inlet.ledger.postgres.OutgoingLedger;
import dev.inlet.payout.Payouts.ConnectionTarget;
import dev.inlet.spsp.SpspAnswer;
import dev.inlet.spsp.SpspClient;
import dev.inlet.spsp.SpspException;
import dev.inlet.stream.sender.AssetDetails;
import dev.inlet.stream.sender.PacketLink;
import dev.inlet.stream.sender.SendRequest;
import dev.inlet.stream.sender.SendResult;
import dev.inlet.stream.sender.StreamSender;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends payouts and refunds: resolves the receiver (SPSP, RFC 0009) or, for a refund, derives the
 * credentials of the connection that paid; pays with Inlet's {@link StreamSender} through the
 * uplink, every Prepare recorded in the outgoing ledger before it leaves; then ends the payout —
 * its unspent reservation released, its event written. While it sends, this replica renews the
 * payout's lease; any replica ends payouts whose lease ran out (their sender died), keeping what
 * may have left reserved and in doubt, and then asks those payouts' receivers what arrived ({@link
 * Settlement}).
 */
public final class PayoutService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PayoutService.class);
  private static final SecureRandom random = new SecureRandom();

  private final Payouts payouts;
  private final PayoutLeases payoutLeases;
  private final OutgoingLedger ledger;
  private final SpspClient spsp;
  private final PacketLink link;
  private final IlpAddress ownAddress;
  private final ConnectionTokens tokens;
  private final PayoutSettings settings;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService database;
  private final PeriodicJob leases;
  private final StreamSender sender;
  private final Sealer secrets;
  private final Settlement settlement;
  private final Set<Long> sending = ConcurrentHashMap.newKeySet();
  private final Set<Long> stopped = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  /**
   * @param link where Prepares go (the uplink)
   * @param ownAddress Inlet's ILP address, told to receivers in {@code ConnectionNewAddress}
   * @param secrets seals each payout's shared secret for a later settlement
   */
  public PayoutService(
      DataSource dataSource,
      Payouts payouts,
      OutgoingLedger ledger,
      InDoubtPackets inDoubt,
      SpspClient spsp,
      PacketLink link,
      IlpAddress ownAddress,
      ConnectionTokens tokens,
      Sealer secrets,
      PayoutSettings settings) {
    this.payouts = payouts;
    this.payoutLeases = new PayoutLeases(dataSource, payouts);
    this.ledger = ledger;
    this.spsp = spsp;
    this.link = link;
    this.ownAddress = ownAddress;
    this.tokens = tokens;
    this.settings = settings;
    this.secrets = secrets;
    this.settlement = new Settlement(dataSource, inDoubt, link, secrets, tokens);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(PeriodicJob.daemonThreads("inlet-payouts"));
    // Blocking JDBC (ending payouts, resolving SPSP answers) off the sender's thread.
    this.database = Executors.newFixedThreadPool(2, PeriodicJob.daemonThreads("inlet-payouts-db"));
    this.sender = new StreamSender(scheduler, Clock.systemUTC());
    this.leases =
        PeriodicJob.start(
            "inlet-payout-leases",
            Duration.ofMillis(Math.max(1, settings.lease().toMillis() / 3)),
            this::maintain);
  }

  /**
   * Sends a payout just created (its reservation made). Returns at once; the payout's row tells how
   * it went.
   *
   * @return completes with the payout after it ended
   */
  public CompletableFuture<StoredPayout> start(StoredPayout payout) {
    AssetDetails asset = payout.asset();
    sending.add(payout.id());
    if (closing) {
      stopped.add(payout.id());
    }
    payoutLeases.renewLeases(List.of(payout.id()), settings.lease());
    // Receipts (RFC 0039) under a secret of ours: the receiver's signed word for what arrived.
    ReceiptCredentials receipts =
        !payout.kind().equals("payout")
            ? null
            : new ReceiptCredentials(
                randomBytes(Receipts.nonceBytes), randomBytes(Receipts.secretBytes));
    return request(payout, asset, receipts)
        .thenCompose(
            request ->
                sender.send(
                    request.withLimits(settings.limits()),
                    link,
                    new ReservationLog(
                        ledger, payout.reservation(), () -> stopped.contains(payout.id()))))
        .handleAsync((result, failure) -> end(payout, result, failure, receipts), database);
  }

  private CompletableFuture<SendRequest> request(
      StoredPayout payout, AssetDetails asset, ReceiptCredentials receipts) {
    if (!payout.kind().equals("payout")) {
      // Over the peer's own connection: a refund's payer, a voucher's or a mandate's client.
      ConnectionTarget target = payouts.connectionTarget(payout.id());
      payouts.destination(payout.id(), target.peer().value(), null);
      return CompletableFuture.completedFuture(
          new SendRequest(
              target.peer(),
              tokens.sharedSecret(payout.connectionId()),
              payout.amount(),
              asset.code(),
              asset.scale(),
              Optional.empty(),
              Optional.empty(),
              target.firstSequence(),
              target.streamId(),
              false,
              settings.limits()));
    }
    return spsp.resolve(payout.receiver(), receipts)
        .thenApplyAsync(
            (SpspAnswer answer) -> {
              payouts.destination(
                  payout.id(), answer.destination().value(), secrets.seal(answer.sharedSecret()));
              return SendRequest.newConnection(
                  answer.destination(),
                  answer.sharedSecret(),
                  payout.amount(),
                  asset,
                  Optional.of(ownAddress),
                  answer.assetInfo());
            },
            database);
  }

  private StoredPayout end(
      StoredPayout payout, SendResult result, Throwable failure, ReceiptCredentials receipts) {
    try {
      String error;
      long nextSequence = 0;
      byte[] receipt = null;
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        error =
            cause instanceof SpspException e
                ? e.slug() + ": " + e.detail()
                : "internal: " + cause.getClass().getSimpleName();
        if (!(cause instanceof SpspException)) {
          log.error("Payout {} failed before sending", payout.id(), cause);
        }
      } else {
        error = result.status() == SendResult.Status.COMPLETED ? null : result.error().orElse("");
        nextSequence = result.nextSequence();
        receipt = verifiedReceipt(result, receipts);
      }
      return payouts.end(payout.id(), error, nextSequence, receipt);
    } catch (RuntimeException e) {
      // The lease runs out and another pass ends it; nothing is released twice.
      log.error("Payout {} could not be ended; it will be when its lease runs out", payout.id(), e);
      return payout;
    } finally {
      sending.remove(payout.id());
      stopped.remove(payout.id());
    }
  }

  /**
   * Stops sending this replica's payouts whose voucher or mandate was revoked (here or on another
   * replica): they send no further Prepare and end with what they sent.
   */
  public void stopRevoked() {
    stopped.addAll(payoutLeases.revokedAmong(List.copyOf(sending)));
  }

  /** The receipt proving the most, among those that verify under our secret; null when none. */
  private static byte[] verifiedReceipt(SendResult result, ReceiptCredentials receipts) {
    byte[] best = null;
    long bestTotal = 0;
    for (StreamReceipt r : result.receipts()) {
      OptionalLong total =
          receipts == null
              ? OptionalLong.empty()
              : Receipts.verify(r.receipt(), receipts.nonce(), receipts.secret(), r.streamId());
      if (total.isPresent()
          && (best == null || Long.compareUnsigned(total.getAsLong(), bestTotal) > 0)) {
        best = r.receipt();
        bestTotal = total.getAsLong();
      }
    }
    return best;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Renews this replica's leases, ends abandoned payouts, settles in-doubt packets. */
  private void maintain() {
    payoutLeases.renewLeases(List.copyOf(sending), settings.lease());
    stopRevoked();
    int recovered = payoutLeases.recoverAbandoned();
    if (recovered > 0) {
      log.warn("Ended {} payouts whose replica stopped sending them", recovered);
    }
    settlement.settle();
  }

  /**
   * Drains, then stops: the payouts being sent record and send no further Prepare, their packets in
   * flight are answered (within a Prepare's life), and each ends with what it sent, its rest
   * released — so a restart or a deploy leaves nothing in doubt. What has not ended by then ends by
   * lease on another replica or after a restart.
   */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    stopped.addAll(sending);
    // A Prepare's life and the sender's grace for its answer (2 s), and a little more.
    long deadline = System.nanoTime() + settings.packetExpiry().plusSeconds(3).toNanos();
    while (!sending.isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
    }
    if (!sending.isEmpty()) {
      log.warn(
          "Stopping with {} payouts still sending; their leases will end them", sending.size());
    }
    leases.close();
    database.shutdownNow();
    scheduler.shutdownNow();
  }
}
