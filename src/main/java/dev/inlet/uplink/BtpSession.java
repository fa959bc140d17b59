package dev.inlet.uplink;

import dev.inlet.codec.btp.BtpCodec;
import dev.inlet.codec.btp.BtpError;
import dev.inlet.codec.btp.BtpMessage;
import dev.inlet.codec.btp.BtpPacket;
import dev.inlet.codec.btp.BtpResponse;
import dev.inlet.codec.btp.BtpTransfer;
import dev.inlet.codec.oer.DecodeException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection of a {@link BtpUplink}: reassembles binary messages, pairs Responses and
 * Errors with the requests sent on it, passes every other packet to its owner, and writes one
 * message at a time (the JDK's WebSocket takes one send of a kind at once).
 */
final class BtpSession implements WebSocket.Listener {
  private static final Logger log = LoggerFactory.getLogger(BtpSession.class);

  /**
   * Largest BTP message read, bytes: a Prepare (33,857) in an {@code ilp} entry plus the envelope,
   * with room for a few small entries. A bigger message closes the connection.
   */
  static final int maxMessageBytes = 40_000;

  private final Consumer<BtpSession> opened;
  private final BiConsumer<BtpSession, BtpPacket> requests;
  private final Consumer<BtpSession> lost;
  private final Map<Long, CompletableFuture<BtpPacket>> pending = new ConcurrentHashMap<>();
  private volatile WebSocket socket;
  private volatile long lastHeardNanos = System.nanoTime();
  private byte[] assembling = new byte[0];
  private CompletableFuture<?> writes = CompletableFuture.completedFuture(null);
  private volatile boolean ended;

  /**
   * @param opened called once the WebSocket is open (before any message)
   * @param requests Messages and Transfers from the peer, with the session to answer on ({@link
   *     #write})
   * @param lost called once when the connection ends, after every pending request has failed
   */
  BtpSession(
      Consumer<BtpSession> opened,
      BiConsumer<BtpSession, BtpPacket> requests,
      Consumer<BtpSession> lost) {
    this.opened = opened;
    this.requests = requests;
    this.lost = lost;
  }

  /**
   * Sends a request and completes with the peer's Response or Error for its id; fails when the
   * connection ends first or the write fails.
   */
  CompletableFuture<BtpPacket> request(BtpPacket request) {
    CompletableFuture<BtpPacket> answer = new CompletableFuture<>();
    pending.put(request.requestId(), answer);
    if (ended) {
      answer.completeExceptionally(new IllegalStateException("connection closed"));
    }
    write(request)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                answer.completeExceptionally(error);
              }
            });
    answer.whenComplete((p, e) -> pending.remove(request.requestId(), answer));
    return answer;
  }

  /** Writes one packet after those before it. */
  synchronized CompletableFuture<?> write(BtpPacket packet) {
    byte[] bytes = BtpCodec.encode(packet);
    writes =
        writes
            .handle((ok, error) -> null)
            .thenCompose(ignored -> socket.sendBinary(ByteBuffer.wrap(bytes), true));
    return writes;
  }

  /** Sends a WebSocket ping, in turn with the writes. */
  synchronized void ping() {
    writes =
        writes
            .handle((ok, error) -> null)
            .thenCompose(ignored -> socket.sendPing(ByteBuffer.allocate(0)));
  }

  /** When the peer was last heard from (any message or pong), {@link System#nanoTime()}. */
  long lastHeardNanos() {
    return lastHeardNanos;
  }

  /** Closes the connection now, failing what is pending. */
  void abort() {
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    end();
  }

  /** Closes the connection politely (a close frame), failing what is pending. */
  void close() {
    WebSocket ws = socket;
    if (ws != null && !ws.isOutputClosed()) {
      synchronized (this) {
        writes =
            writes
                .handle((ok, error) -> null)
                .thenCompose(ignored -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "closing"));
      }
    }
    end();
  }

  int pendingCount() {
    return pending.size();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    opened.accept(this);
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    lastHeardNanos = System.nanoTime();
    int n = data.remaining();
    if (assembling.length + n > maxMessageBytes) {
      log.warn("BTP message over {} bytes from the parent: reconnecting", maxMessageBytes);
      abort();
      return null;
    }
    int at = assembling.length;
    assembling = Arrays.copyOf(assembling, at + n);
    data.get(assembling, at, n);
    if (last) {
      byte[] message = assembling;
      assembling = new byte[0];
      received(message);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    log.warn("Text message from the BTP parent, which speaks binary only: ignored");
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    lastHeardNanos = System.nanoTime();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    log.info("BTP parent closed the connection: {} {}", statusCode, reason);
    end();
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    log.info("BTP connection failed: {}", error.toString());
    end();
  }

  private void received(byte[] message) {
    BtpPacket packet;
    try {
      packet = BtpCodec.decode(message);
    } catch (DecodeException e) {
      // Without a readable request id there is nothing to answer.
      log.warn("Unreadable BTP message from the parent ignored: {}", e.getMessage());
      return;
    }
    if (packet instanceof BtpResponse || packet instanceof BtpError) {
      CompletableFuture<BtpPacket> answer = pending.get(packet.requestId());
      if (answer != null) {
        answer.complete(packet);
      } else {
        log.debug("BTP answer to unknown request {} ignored", packet.requestId());
      }
    } else if (packet instanceof BtpMessage || packet instanceof BtpTransfer) {
      requests.accept(this, packet);
    }
  }

  private void end() {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    IllegalStateException closed = new IllegalStateException("connection closed");
    for (CompletableFuture<BtpPacket> answer : List.copyOf(pending.values())) {
      answer.completeExceptionally(closed);
    }
    lost.accept(this);
  }

  boolean ended() {
    return ended;
  }
}
