package dev.inlet.stream.sender;

import dev.inlet.crypto.StreamKeys;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The STREAM sender (RFC 0029 §4–6): pays {@link SendRequest#amount()} to a receiver over a {@link
 * PacketLink}.
 *
 * <p>It opens the connection (our {@code ConnectionNewAddress} and {@code ConnectionAssetDetails}
 * in the first packet, the receiver's asset learned from its reply), probes the exchange rate with
 * unfulfillable Prepares, then sends money packets each asking at least {@code amount × rate × (1 −
 * maxSlippage)} to arrive, within the path's maximum packet amount (F08), the receiver's {@code
 * StreamMaxMoney}, the limits and a congestion window (T04 halves it). Every money Prepare is
 * recorded in the {@link SendLog} before it leaves and its answer after. It ends with a zero-amount
 * packet closing the stream (and the connection, when it opened it).
 *
 * <p>{@link #send} never throws; its future always completes, with {@link SendResult.Status#FAILED}
 * and a slug-prefixed error when the payment stopped short.
 */
public final class StreamSender {
  private final ScheduledExecutorService scheduler;
  private final Clock clock;

  /**
   * @param scheduler runs the sender's handlers, retries and timeouts (one thread is enough; the
   *     caller owns and shuts it down)
   * @param clock for Prepare expiries and the idle timeout
   */
  public StreamSender(ScheduledExecutorService scheduler, Clock clock) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Sends one payment.
   *
   * @return completes when the payment is done or stopped: every Prepare answered (or in doubt) and
   *     the close sent; never exceptionally
   */
  public CompletableFuture<SendResult> send(SendRequest request, PacketLink link, SendLog log) {
    String invalid = invalid(request, link, log);
    if (invalid != null) {
      long next = request == null ? 0 : request.firstSequence();
      return CompletableFuture.completedFuture(
          new SendResult(
              SendResult.Status.FAILED,
              0,
              0,
              0,
              next,
              Optional.of("invalid-request: " + invalid),
              Optional.empty(),
              List.of()));
    }
    if (request.amount() == 0) {
      return CompletableFuture.completedFuture(
          new SendResult(
              SendResult.Status.COMPLETED,
              0,
              0,
              0,
              request.firstSequence(),
              Optional.empty(),
              request.expectedAsset(),
              List.of()));
    }
    try {
      Outgoing outgoing =
          new Outgoing(StreamKeys.derive(request.sharedSecret()), request.destination());
      SendRun run = new SendRun(request, link, log, outgoing, scheduler, clock);
      scheduler.execute(run::start);
      return run.result;
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new SendResult(
              SendResult.Status.FAILED,
              0,
              0,
              0,
              request.firstSequence(),
              Optional.of("internal: " + e),
              Optional.empty(),
              List.of()));
    }
  }

  private static String invalid(SendRequest request, PacketLink link, SendLog log) {
    if (request == null || link == null || log == null) {
      return "request, link and log are required";
    }
    if (request.destination() == null
        || request.sharedSecret() == null
        || request.sourceAssetCode() == null
        || request.ownAddress() == null
        || request.expectedAsset() == null
        || request.limits() == null) {
      return "a field of the request is null";
    }
    if (request.sharedSecret().length != StreamKeys.sharedSecretBytes) {
      return "the shared secret must be 32 bytes, was " + request.sharedSecret().length;
    }
    if (request.sourceAssetScale() < 0 || request.sourceAssetScale() > 0xff) {
      return "the asset scale must be 0..255, was " + request.sourceAssetScale();
    }
    if (request.firstSequence() < 1 || request.firstSequence() > SendRun.maxSequence) {
      return "firstSequence must be 1..2^31, was " + Long.toUnsignedString(request.firstSequence());
    }
    if (request.streamId() == 0) {
      return "streamId must not be 0";
    }
    return null;
  }
}
