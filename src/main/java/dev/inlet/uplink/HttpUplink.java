package dev.inlet.uplink;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.stream.sender.LinkException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ILP-over-HTTP to the parent (RFC 0035, synchronous mode): each Prepare is a {@code POST} of its
 * OER bytes ({@code application/octet-stream}, {@code Authorization: Bearer <token>}); a 200 body
 * is the Fulfill or Reject.
 *
 * <p>Outcomes: a refused or failed connection, or a connect timeout, is a {@link LinkException}
 * with {@code maybeDelivered() == false} (no byte of the request left); so is a 4xx, the parent
 * refusing the request before handling it. A 5xx or other status, a body that is not a Fulfill or
 * Reject, a lost connection or no answer by the Prepare's expiry plus {@code expiryMargin} are
 * {@code maybeDelivered() == true}: the parent may have forwarded it.
 *
 * <p>The JDK's {@link HttpClient}, not Reactor Netty's: it is kept with the JDK, needs no event
 * loops or byte-buffer lifecycle of ours, pools HTTP/1.1 keep-alive connections, and its exceptions
 * tell a refused connection ({@link ConnectException}) from a lost one, which is what {@code
 * maybeDelivered} needs. The ILP-over-HTTP hot path is the receiving side; this one sends.
 */
public final class HttpUplink implements Uplink {
  /** Largest answer read: a Fulfill or Reject is never bigger than a Prepare. */
  static final int maxAnswerBytes = IlpCodec.maxPrepareBytes;

  private final HttpClient client;
  private final URI endpoint;
  private final Optional<String> token;
  private final Duration expiryMargin;
  private final int maxInFlight;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param endpoint the parent's ILP-over-HTTP URL
   * @param token bearer token, when the parent asks for one
   * @param connectTimeout bound on opening a connection
   * @param expiryMargin how long after a Prepare's expiry its send gives up
   * @param maxInFlight sends at once at most; more are refused unsent
   */
  public HttpUplink(
      URI endpoint,
      Optional<String> token,
      Duration connectTimeout,
      Duration expiryMargin,
      int maxInFlight,
      Clock clock) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.endpoint = endpoint;
    this.token = token;
    this.expiryMargin = expiryMargin;
    this.maxInFlight = maxInFlight;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<IlpPacket> send(IlpPrepare prepare) {
    if (closed) {
      return notSent("the uplink is closed");
    }
    Duration left = Duration.between(clock.instant(), prepare.expiresAt());
    if (left.isNegative() || left.isZero()) {
      return notSent("the Prepare expired before it was sent");
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(
          LinkException.busy("not sent: " + maxInFlight + " Prepares already in flight"));
    }
    Duration deadline = left.plus(expiryMargin);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(deadline)
            .header("Content-Type", "application/octet-stream")
            .header("Accept", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(IlpCodec.encode(prepare)));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    CompletableFuture<IlpPacket> answer;
    try {
      answer =
          client
              .sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
              .thenApply(HttpUplink::answer);
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(new LinkException("not sent: " + e, false, e));
    }
    return answer
        .orTimeout(deadline.toMillis() + 1, TimeUnit.MILLISECONDS)
        .handle(HttpUplink::outcome)
        .thenCompose(f -> f)
        .whenComplete((p, e) -> inFlight.decrementAndGet());
  }

  @Override
  public State state() {
    return closed ? State.DOWN : State.UP;
  }

  @Override
  public void close() {
    // The client's idle connections end with its selector thread once unreferenced (Java 17 has
    // no HttpClient.close); sends after this are refused.
    closed = true;
  }

  private static IlpPacket answer(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status != 200) {
      // 4xx: the parent refused the request itself (auth, size, syntax) and forwarded nothing.
      throw new CompletionException(
          new LinkException(
              "the parent answered HTTP " + status, status < 400 || status >= 500, null));
    }
    byte[] body = response.body();
    if (body.length > maxAnswerBytes) {
      throw new CompletionException(
          new LinkException("the parent's answer is " + body.length + " bytes", true, null));
    }
    try {
      IlpPacket packet = IlpCodec.decode(body);
      if (packet instanceof IlpPrepare) {
        throw new CompletionException(
            new LinkException("the parent answered with a Prepare", true, null));
      }
      return packet;
    } catch (DecodeException e) {
      throw new CompletionException(
          new LinkException(
              "the parent's answer is not an ILP packet: " + e.getMessage(), true, e));
    }
  }

  private static CompletableFuture<IlpPacket> outcome(IlpPacket packet, Throwable error) {
    if (error == null) {
      return CompletableFuture.completedFuture(packet);
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof LinkException link) {
      return CompletableFuture.failedFuture(link);
    }
    return CompletableFuture.failedFuture(classify(cause));
  }

  /** What a transport failure says about the Prepare having left. */
  static LinkException classify(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException
        || cause instanceof ConnectException
        || cause.getCause() instanceof ConnectException
        || cause instanceof UnresolvedAddressException
        || cause.getCause() instanceof UnresolvedAddressException) {
      return new LinkException("cannot connect to the parent: " + cause, false, cause);
    }
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return new LinkException("no answer from the parent before the Prepare expired", true, cause);
    }
    if (cause instanceof IOException) {
      return new LinkException("connection to the parent lost: " + cause, true, cause);
    }
    return new LinkException("sending to the parent failed: " + cause, true, cause);
  }

  private static CompletableFuture<IlpPacket> notSent(String why) {
    return CompletableFuture.failedFuture(new LinkException("not sent: " + why, false, null));
  }
}
