package dev.inlet.voucher;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.crypto.ConnectionToken;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.TargetKind;
import dev.inlet.jobs.PeriodicJob;
import dev.inlet.payout.PayoutService;
import dev.inlet.payout.Payouts;
import dev.inlet.payout.StoredPayout;
import dev.inlet.stream.PayingConnections;
import dev.inlet.stream.PeerFrames;
import dev.inlet.stream.sender.ConnectionCloser;
import dev.inlet.stream.sender.PacketLink;
import dev.inlet.stream.sender.StreamTotals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays the clients of vouchers' and mandates' payment pointers (RFC 0036's flow): a client
 * connects, tells its address ({@code ConnectionNewAddress}) and a stream's receive limit ({@code
 * StreamMaxMoney}); then Inlet checks the address with a zero-amount packet (RFC 0029 §5.3.1 asks
 * for that before sending much), asks the voucher or mandate what it may pay now — at most one
 * payment out of each at a time, decided under its row lock, so across replicas too — and pays
 * that, up to the stream's limit, with the payout sender. A voucher busy with another client's
 * redemption is tried again shortly; one that is redeemed, revoked or expired closes the connection
 * with its reason ({@code ConnectionClose}, application error), as does a client that gives no
 * address.
 *
 * <p>What a connection's peer said is kept in memory on the replica that heard it (bounded, and
 * forgotten after {@link #forgetAfter} without a packet); the money and the rules are in the
 * database.
 */
public final class PayoutConnections implements PayingConnections, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PayoutConnections.class);

  /** A connection's peer is forgotten after this long without a packet. */
  static final Duration forgetAfter = Duration.ofMinutes(10);

  /** How long a client waits its turn behind another client's payment before it is closed. */
  static final Duration maxWait = Duration.ofMinutes(2);

  /** A client waiting its turn asks again after this, doubling up to {@link #maxRetryAfter}. */
  private static final Duration retryAfter = Duration.ofMillis(200);

  private static final Duration maxRetryAfter = Duration.ofSeconds(2);

  /** What a voucher or a mandate allows now, asked with the client's request. */
  interface Source {
    Attempt attempt(long targetId, Request request);
  }

  /** A client's request: pay up to {@code room} to {@code address} on stream {@code streamId}. */
  record Request(
      byte[] connectionId, String address, long streamId, long room, long firstSequence) {}

  /** What the source decided. */
  sealed interface Attempt {}

  /** Pay this payout (created, its amount reserved). */
  record Pay(StoredPayout payout) implements Attempt {}

  /** Not now: another payment out of the same source is being sent. */
  record Wait(String why) implements Attempt {}

  /** Never on this connection: close it with {@code reason}. */
  record Close(String reason) implements Attempt {}

  private final Map<TargetKind, Source> sources;
  private final PayoutService service;
  private final Payouts payouts;
  private final PacketLink link;
  private final ConnectionTokens tokens;
  private final Clock clock = Clock.systemUTC();
  private final ExecutorService work =
      Executors.newFixedThreadPool(4, PeriodicJob.daemonThreads("inlet-paying"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(PeriodicJob.daemonThreads("inlet-paying-retry"));
  private final Cache<String, Peer> peers =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(forgetAfter).build();

  /**
   * @param sources what each kind of paying connection pays out of ({@code VOUCHER}, {@code
   *     MANDATE})
   * @param service sends each redemption or pull, as any payout
   * @param link where the address checks and closes go (the uplink)
   */
  public PayoutConnections(
      Map<TargetKind, Source> sources,
      PayoutService service,
      Payouts payouts,
      PacketLink link,
      ConnectionTokens tokens) {
    this.sources = Map.copyOf(sources);
    this.service = service;
    this.payouts = payouts;
    this.link = link;
    this.tokens = tokens;
  }

  /** One connection's peer, as far as this replica heard it. Guarded by its own lock. */
  private static final class Peer {
    final ConnectionToken token;
    String address;
    final Map<Long, StreamMaxMoney> limits = new TreeMap<>(Long::compareUnsigned);
    final Set<Long> closedStreams = new HashSet<>();
    boolean closed;
    String closeReason;
    boolean running;
    boolean validated;
    long nextSequence = 1;
    Instant waitingSince;
    long retries;

    Peer(ConnectionToken token) {
      this.token = token;
    }
  }

  @Override
  public Optional<String> heard(ConnectionToken token, PeerFrames frames) {
    Peer peer = peers.get(token.connectionIdHex(), k -> new Peer(token));
    synchronized (peer) {
      if (frames.address().isPresent()) {
        if (frames.address().get().isEmpty()) {
          closeFor(peer, "no-address: tell an address to be paid on (ConnectionNewAddress)");
        } else if (peer.address == null) {
          peer.address = frames.address().get();
        }
      }
      for (StreamMaxMoney m : frames.limits()) {
        peer.limits.merge(m.streamId(), m, PayoutConnections::later);
      }
      peer.closedStreams.addAll(frames.closedStreams());
      if (frames.connectionClosed()) {
        peer.closed = true;
      }
      if (peer.closeReason != null) {
        return Optional.of(peer.closeReason);
      }
      if (peer.address == null && !peer.limits.isEmpty()) {
        closeFor(peer, "no-address: tell an address to be paid on (ConnectionNewAddress)");
        return Optional.of(peer.closeReason);
      }
      maybeStart(peer);
      return Optional.empty();
    }
  }

  /** The newer of two limits of a stream: receive limits only grow (RFC 0029 §5.3.9). */
  private static StreamMaxMoney later(StreamMaxMoney a, StreamMaxMoney b) {
    return new StreamMaxMoney(
        a.streamId(),
        Long.compareUnsigned(a.receiveMax(), b.receiveMax()) >= 0 ? a.receiveMax() : b.receiveMax(),
        Long.compareUnsigned(a.totalReceived(), b.totalReceived()) >= 0
            ? a.totalReceived()
            : b.totalReceived());
  }

  private static void closeFor(Peer peer, String reason) {
    peer.closed = true;
    if (peer.closeReason == null) {
      peer.closeReason = reason;
    }
  }

  /** Starts a payment when the peer can take one and none is running for it. Holds the lock. */
  private void maybeStart(Peer peer) {
    if (peer.running || peer.closed || peer.address == null || room(peer) == null) {
      return;
    }
    peer.running = true;
    work.execute(() -> pay(peer));
  }

  /** The first open stream with room left, or null. Holds the lock. */
  private static StreamMaxMoney room(Peer peer) {
    for (StreamMaxMoney m : peer.limits.values()) {
      if (!peer.closedStreams.contains(m.streamId())
          && Long.compareUnsigned(m.receiveMax(), m.totalReceived()) > 0) {
        return m;
      }
    }
    return null;
  }

  private void pay(Peer peer) {
    try {
      payOnce(peer);
    } catch (RuntimeException e) {
      log.error("Paying on connection {} failed", peer.token.connectionIdHex(), e);
      synchronized (peer) {
        peer.running = false;
      }
    }
  }

  /**
   * The peer's next turn: its first stream with room, its address and a sequence of ours taken for
   * the next packet; null (and no longer running) when no stream has room.
   */
  private record Turn(long streamId, long room, String address, long sequence, boolean validated) {}

  private static Turn take(Peer peer) {
    synchronized (peer) {
      StreamMaxMoney stream = room(peer);
      if (stream == null) {
        peer.running = false;
        return null;
      }
      return new Turn(
          stream.streamId(),
          stream.receiveMax() - stream.totalReceived(),
          peer.address,
          peer.nextSequence++,
          peer.validated);
    }
  }

  /** Checks the peer's address once (asynchronously: the answer may take a Prepare's life). */
  private void payOnce(Peer peer) {
    Turn turn = take(peer);
    if (turn == null) {
      return;
    }
    if (turn.validated()) {
      attempt(peer, turn);
      return;
    }
    long streamId = turn.streamId();
    StreamTotals.ask(
            link, IlpAddress.of(turn.address()), secret(peer), streamId, turn.sequence(), clock)
        .thenAcceptAsync(
            reply -> {
              if (reply.isEmpty()) {
                // No answer under the shared secret: not the client's address, or it is gone.
                closeLocally(peer, "unreachable: the address did not answer");
                return;
              }
              Optional<Long> total = StreamTotals.total(reply.get(), streamId);
              synchronized (peer) {
                peer.validated = true;
                total.ifPresent(
                    t ->
                        peer.limits.merge(
                            streamId,
                            new StreamMaxMoney(streamId, peer.limits.get(streamId).receiveMax(), t),
                            PayoutConnections::later));
              }
              Turn next = take(peer);
              if (next != null) {
                attempt(peer, next);
              }
            },
            work)
        .exceptionally(
            e -> {
              log.error("Paying on connection {} failed", peer.token.connectionIdHex(), e);
              done(peer);
              return null;
            });
  }

  /** Asks the voucher or mandate what it pays now on the turn's stream, and pays that. */
  private void attempt(Peer peer, Turn turn) {
    long streamId = turn.streamId();
    String address = turn.address();
    Attempt attempt =
        sources
            .get(peer.token.kind())
            .attempt(
                peer.token.targetId(),
                new Request(
                    peer.token.connectionId(), address, streamId, turn.room(), turn.sequence()));
    if (attempt instanceof Pay p) {
      service
          .start(p.payout())
          .whenComplete(
              (ended, error) -> {
                synchronized (peer) {
                  // The sender closed the stream it paid on (StreamClose); the sequences it used
                  // are past.
                  peer.closedStreams.add(streamId);
                  peer.nextSequence =
                      Math.max(peer.nextSequence, payouts.nextSequence(p.payout().id()));
                }
                // Whether more may be paid (another stream), or the source is spent: ask again.
                afterPayment(peer);
              });
    } else if (attempt instanceof Wait w) {
      retryLater(peer, w.why());
    } else if (attempt instanceof Close c) {
      closeRemotely(peer, IlpAddress.of(address), secret(peer), c.reason());
    }
  }

  private byte[] secret(Peer peer) {
    return tokens.sharedSecret(peer.token.connectionId());
  }

  private void afterPayment(Peer peer) {
    synchronized (peer) {
      peer.running = false;
      peer.waitingSince = null;
      peer.retries = 0;
      if (room(peer) != null) {
        maybeStart(peer);
        return;
      }
      peer.running = true;
    }
    // No stream has room: tell the client when the source has nothing left for it.
    work.execute(() -> checkSpent(peer));
  }

  /** Asks for nothing (room 0): the source closes the connection when it has nothing left. */
  private void checkSpent(Peer peer) {
    String address;
    synchronized (peer) {
      address = peer.address;
    }
    Attempt attempt =
        sources
            .get(peer.token.kind())
            .attempt(
                peer.token.targetId(), new Request(peer.token.connectionId(), address, 1, 0, 0));
    if (attempt instanceof Close c) {
      closeRemotely(peer, IlpAddress.of(address), secret(peer), c.reason());
    } else {
      done(peer);
    }
  }

  private void retryLater(Peer peer, String why) {
    long delay;
    synchronized (peer) {
      Instant now = clock.instant();
      if (peer.waitingSince == null) {
        peer.waitingSince = now;
      }
      peer.nextSequence--; // the sequence taken for this attempt was not used
      if (Duration.between(peer.waitingSince, now).compareTo(maxWait) > 0) {
        delay = -1;
      } else {
        delay =
            Math.min(
                maxRetryAfter.toMillis(), retryAfter.toMillis() << Math.min(4, peer.retries++));
      }
    }
    if (delay < 0) {
      closeRemotely(peer, IlpAddress.of(peer.address), secret(peer), why);
      return;
    }
    timer.schedule(() -> work.execute(() -> pay(peer)), delay, TimeUnit.MILLISECONDS);
  }

  private void closeRemotely(Peer peer, IlpAddress destination, byte[] secret, String reason) {
    long sequence;
    synchronized (peer) {
      closeFor(peer, reason);
      sequence = peer.nextSequence++;
    }
    ConnectionCloser.close(link, destination, secret, sequence, reason, clock)
        .whenComplete((v, e) -> done(peer));
  }

  private void closeLocally(Peer peer, String reason) {
    synchronized (peer) {
      closeFor(peer, reason);
      peer.running = false;
    }
  }

  private static void done(Peer peer) {
    synchronized (peer) {
      peer.running = false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    work.shutdownNow();
  }
}
