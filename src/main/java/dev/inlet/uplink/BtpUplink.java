package dev.inlet.uplink;

import dev.inlet.codec.btp.BtpError;
import dev.inlet.codec.btp.BtpMessage;
import dev.inlet.codec.btp.BtpPacket;
import dev.inlet.codec.btp.BtpResponse;
import dev.inlet.codec.btp.ProtocolData;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.stream.sender.LinkException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BTP 2.0 to the parent (RFC 0023) over a WebSocket client (the JDK's {@link
 * java.net.http.WebSocket}: no dependency, and one connection needs no event loop of ours).
 *
 * <ul>
 *   <li><b>Connect.</b> The first message is the auth Message ({@code auth}, {@code auth_username},
 *       {@code auth_token}); the link is UP once the parent answers it with a Response. An Error, a
 *       failed handshake or no answer within the connect timeout: DOWN, and a reconnect after a
 *       backoff doubling from the least to the greatest delay (with jitter).
 *   <li><b>Send.</b> Each Prepare is a Message with an {@code ilp} entry and a fresh request id;
 *       the parent's Response carries the Fulfill or Reject. At most {@code maxInFlight} wait; a
 *       send beyond, or while not UP, is refused unsent ({@code maybeDelivered() == false}). No
 *       answer by the Prepare's expiry plus the margin, a lost connection, or an answer without a
 *       Fulfill or Reject: in doubt. A BTP Error answer: the parent did not take the Prepare.
 *   <li><b>Receive.</b> A Message with an {@code ilp} Prepare goes to the {@link IncomingPrepares}
 *       (the STREAM receiver) and its answer goes back as a Response with an {@code ilp} entry; a
 *       Transfer or another Message gets an empty Response.
 *   <li><b>Keep-alive.</b> A ping every ping interval; nothing heard within the connect timeout
 *       after it: the connection is dropped and reconnected.
 * </ul>
 */
public final class BtpUplink implements Uplink {
  private static final Logger log = LoggerFactory.getLogger(BtpUplink.class);

  private final UplinkUrl url;
  private final UplinkSettings settings;
  private final Clock clock;
  private final HttpClient client;
  private final ExecutorService io;
  private final ScheduledExecutorService timer;
  private final AtomicLong nextRequestId =
      new AtomicLong(ThreadLocalRandom.current().nextLong(BtpPacket.maxRequestId));
  private volatile State state = State.DOWN;
  private volatile BtpSession session;
  private volatile IncomingPrepares incoming;
  private volatile boolean closed;
  private int failures;

  BtpUplink(UplinkUrl url, UplinkSettings settings, Clock clock) {
    this.url = url;
    this.settings = settings;
    this.clock = clock;
    this.io = Executors.newCachedThreadPool(daemon("inlet-uplink-btp"));
    this.client =
        HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).executor(io).build();
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("inlet-uplink-timer"));
  }

  /** Starts connecting (and keeps reconnecting until {@link #close}). */
  void start() {
    connect();
    long ping = settings.pingInterval().toMillis();
    timer.scheduleWithFixedDelay(this::ping, ping, ping, TimeUnit.MILLISECONDS);
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public void serve(IncomingPrepares incoming) {
    this.incoming = incoming;
  }

  @Override
  public CompletableFuture<IlpPacket> send(IlpPrepare prepare) {
    BtpSession s = session;
    if (state != State.UP || s == null) {
      return notSent("the BTP uplink is " + state);
    }
    Duration left = Duration.between(clock.instant(), prepare.expiresAt());
    if (left.isNegative() || left.isZero()) {
      return notSent("the Prepare expired before it was sent");
    }
    if (s.pendingCount() >= settings.maxInFlight()) {
      return CompletableFuture.failedFuture(
          LinkException.busy(
              "not sent: " + settings.maxInFlight() + " Prepares already in flight"));
    }
    BtpMessage request =
        new BtpMessage(requestId(), List.of(ProtocolData.ilp(IlpCodec.encode(prepare))));
    return s.request(request)
        .orTimeout(left.plus(settings.expiryMargin()).toMillis(), TimeUnit.MILLISECONDS)
        .handle(BtpUplink::outcome)
        .thenCompose(f -> f);
  }

  @Override
  public void close() {
    closed = true;
    state = State.DOWN;
    timer.shutdownNow();
    BtpSession s = session;
    if (s != null) {
      s.close();
    }
    io.shutdown(); // its threads end once the close frame is written
  }

  private void connect() {
    if (closed) {
      return;
    }
    state = State.CONNECTING;
    BtpSession s = new BtpSession(this::authenticate, this::answer, this::lost);
    client
        .newWebSocketBuilder()
        .connectTimeout(settings.connectTimeout())
        .buildAsync(url.endpoint(), s)
        .whenComplete(
            (ws, error) -> {
              if (error != null) {
                log.info("BTP uplink {}: cannot connect: {}", url.redacted(), rootCause(error));
                s.abort(); // ends it once: lost(s) schedules the reconnect
              }
            });
  }

  private void authenticate(BtpSession s) {
    BtpMessage auth =
        new BtpMessage(
            requestId(),
            List.of(
                new ProtocolData("auth", ProtocolData.octetStream, new byte[0]),
                ProtocolData.text("auth_username", url.username()),
                ProtocolData.text("auth_token", url.secret())));
    s.request(auth)
        .orTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (answer, error) -> {
              if (answer instanceof BtpResponse && !closed) {
                synchronized (this) {
                  failures = 0;
                  session = s;
                  state = State.UP;
                }
                log.info("BTP uplink {} connected", url.redacted());
              } else {
                log.warn(
                    "BTP uplink {}: authentication failed: {}",
                    url.redacted(),
                    answer instanceof BtpError e ? describe(e) : rootCause(error));
                s.abort();
              }
            });
  }

  /** A connection ended (or never opened): DOWN, and a reconnect after the backoff. */
  private void lost(BtpSession s) {
    long delayMillis;
    synchronized (this) {
      if (session != null && session != s) {
        return; // an older connection's end, after a newer one took over
      }
      session = null;
      if (closed) {
        return;
      }
      state = State.DOWN;
      long min = settings.reconnectMinDelay().toMillis();
      long max = settings.reconnectMaxDelay().toMillis();
      long backoff = Math.min(max, min << Math.min(failures, 20));
      failures++;
      delayMillis = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }
    try {
      timer.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void ping() {
    BtpSession s = session;
    if (s == null || state != State.UP) {
      return;
    }
    long sent = System.nanoTime();
    s.ping();
    timer.schedule(
        () -> {
          if (session == s && s.lastHeardNanos() - sent < 0) {
            log.warn(
                "BTP uplink {}: no pong within the connect timeout: reconnecting", url.redacted());
            s.abort();
          }
        },
        settings.connectTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** A Message or Transfer from the parent: answered on the connection it came on. */
  private void answer(BtpSession s, BtpPacket request) {
    BtpIncoming.answer(request, incoming, io).thenAccept(s::write);
  }

  private long requestId() {
    return nextRequestId.incrementAndGet() & BtpPacket.maxRequestId;
  }

  private static CompletableFuture<IlpPacket> outcome(BtpPacket answer, Throwable error) {
    if (error != null) {
      Throwable cause = rootCause(error);
      boolean timedOut = cause instanceof TimeoutException;
      return CompletableFuture.failedFuture(
          new LinkException(
              timedOut
                  ? "no answer from the BTP parent before the Prepare expired"
                  : "BTP connection lost: " + cause.getMessage(),
              true,
              cause));
    }
    if (answer instanceof BtpError e) {
      // The parent failed the request itself (its plugin threw): nothing was forwarded.
      return CompletableFuture.failedFuture(
          new LinkException("the BTP parent answered " + describe(e), false, null));
    }
    return ProtocolData.find(answer.protocolData(), ProtocolData.ilp)
        .map(BtpUplink::ilpAnswer)
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    new LinkException("the BTP parent's Response has no ilp entry", true, null)));
  }

  private static CompletableFuture<IlpPacket> ilpAnswer(ProtocolData entry) {
    try {
      IlpPacket packet = IlpCodec.decode(entry.data());
      if (!(packet instanceof IlpPrepare)) {
        return CompletableFuture.completedFuture(packet);
      }
      return CompletableFuture.failedFuture(
          new LinkException("the BTP parent answered with a Prepare", true, null));
    } catch (DecodeException e) {
      return CompletableFuture.failedFuture(
          new LinkException(
              "the BTP parent's answer is not an ILP packet: " + e.getMessage(), true, e));
    }
  }

  static String describe(BtpError e) {
    return "BTP Error "
        + e.code()
        + " "
        + e.name()
        + ": "
        + new String(e.data(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static CompletableFuture<IlpPacket> notSent(String why) {
    return CompletableFuture.failedFuture(new LinkException("not sent: " + why, false, null));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
