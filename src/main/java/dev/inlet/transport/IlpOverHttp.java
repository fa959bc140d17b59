package dev.inlet.transport;

import dev.inlet.stream.StreamReceiver;
import dev.inlet.web.BearerAuth;
import dev.inlet.web.Problems;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.springframework.http.HttpStatus;
import reactor.netty.NettyPipeline;
import tools.jackson.databind.json.JsonMapper;

/**
 * ILP-over-HTTP (RFC 0035, "Request" and "Response"): the upstream connector POSTs an OER ILP Prepare to {@code /ilp}
 * with its bearer token and reads the Fulfill or Reject from a 200 {@code application/octet-stream} response. HTTP
 * errors are for transport failures only, as problem documents ({@link Problems}): 401 without the connector's token,
 * 400 for a body that is not a Prepare, 413 (and the connection closed) for a body, declared or chunked, larger than
 * any Prepare can be — never held in memory beyond {@link #maxPrepareBytes}.
 *
 * <p>This is the per-packet path, so it is served on Netty's pipeline itself: a handler per connection
 * ({@link IlpConnection}, added by {@link #install}) sits right after Reactor Netty's HTTP/1.1 codec, answers
 * {@code POST /ilp} there and passes every other request on to Reactor Netty and WebFlux, keeping the responses in
 * request order. It also owns the connection's idle timeout. One instance per server, shared by its connections.
 */
public final class IlpOverHttp {
  /**
   * Largest body accepted, bytes: a Prepare with the largest destination (1023) and data (32767) fields and their
   * length prefixes is under 34 KiB.
   */
  public static final int maxPrepareBytes = 36 * 1024;
  /**
   * Most bytes of a refused body read (and dropped) before the connection is closed: closing on unread bytes resets
   * the connection, and a client still sending then loses the answer. Beyond this, that risk is the sender's.
   */
  static final int maxReadBytes = 1024 * 1024;

  final StreamReceiver receiver;
  final PacketMetrics metrics;
  final JsonMapper json;
  final long idleTimeoutNanos;
  final byte[] unauthorized;
  final byte[] tooLarge;
  final byte[] internalError;
  private final Predicate<String> connector;
  /** Prepares handed to the receiver whose answer is not yet written. */
  private final AtomicInteger answering = new AtomicInteger();

  /**
   * @param connectorToken the bearer token the upstream connector must send
   * @param json the application's mapper, which renders problem documents as WebFlux does
   * @param idleTimeout a connection that has read nothing for this long while no answer is pending is closed
   * @throws IllegalArgumentException if {@code idleTimeout} is not positive
   */
  public IlpOverHttp(StreamReceiver receiver, PacketMetrics metrics, String connectorToken, JsonMapper json,
      Duration idleTimeout) {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
    }
    this.receiver = receiver;
    this.metrics = metrics;
    this.connector = BearerAuth.admitting(connectorToken);
    this.json = json;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.unauthorized = json.writeValueAsBytes(Problems.unauthorized());
    this.tooLarge = problem(HttpStatus.CONTENT_TOO_LARGE, "ilp-packet-too-large",
        "An ILP Prepare is at most " + maxPrepareBytes + " bytes");
    this.internalError = json.writeValueAsBytes(Problems.internalError());
  }

  /**
   * Adds the handler of one new connection to its pipeline, right after Reactor Netty's HTTP/1.1 codec.
   *
   * @throws java.util.NoSuchElementException if the pipeline has no HTTP/1.1 codec (an HTTP/2-only server)
   */
  public void install(ChannelPipeline pipeline) {
    pipeline.addAfter(NettyPipeline.HttpCodec, "inlet.ilpOverHttp", new IlpConnection(this));
  }

  /**
   * Waits until every Prepare already handed to the receiver has its answer written, or {@code timeout} passes. For
   * shutdown, once the receiver takes no more Prepares: the web server's graceful shutdown waits only for requests
   * Reactor Netty itself serves, and closes the other connections at once.
   *
   * @return whether none is left
   */
  public boolean awaitAnswered(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (answering.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  /** Whether a request is this route's: {@code POST /ilp} ({@link IlpPath}). Everything else goes to WebFlux. */
  static boolean accepts(HttpRequest request) {
    return HttpMethod.POST.equals(request.method()) && IlpPath.matches(request.uri());
  }

  boolean admits(String authorization) {
    return connector.test(authorization);
  }

  void answering() {
    answering.incrementAndGet();
  }

  void answered() {
    answering.decrementAndGet();
  }

  byte[] problem(HttpStatus status, String type, String detail) {
    return json.writeValueAsBytes(Problems.problem(status, type, detail));
  }
}
