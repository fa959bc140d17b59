package dev.inlet.transport;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.stream.StreamReceiver;
import dev.inlet.web.BearerAuth;
import dev.inlet.web.Problems;
import dev.inlet.web.RequestIds;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * ILP-over-HTTP (RFC 0035, "Request" and "Response"): the upstream connector POSTs an OER ILP Prepare to {@code /ilp}
 * with its bearer token and reads the Fulfill or Reject from a 200 {@code application/octet-stream} response. HTTP
 * errors are for transport failures only, as problem documents ({@link Problems}): 401 without the connector's token,
 * 400 for a body that is not a Prepare, 413 (and the connection closed) for a body, declared or chunked, larger than
 * any Prepare can be — never held in memory beyond {@link #maxPrepareBytes}.
 *
 * <p>A plain Reactor Netty handler, routed ahead of WebFlux ({@link #accepts}): this is the per-packet path, so it
 * skips WebFlux's dispatch, filters, observation and codecs. The reply is built on the connection's event loop and
 * written from there.
 */
public final class IlpOverHttpHandler implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {
  /**
   * Largest body accepted, bytes: a Prepare with the largest destination (1023) and data (32767) fields and their
   * length prefixes is under 34 KiB.
   */
  public static final int maxPrepareBytes = 36 * 1024;
  /**
   * Most bytes of a too-large body read (and dropped) before the connection is closed after the 413: closing on unread
   * bytes resets the connection, and a client still sending then loses the answer. Beyond this, that risk is the
   * sender's.
   */
  static final int maxReadBytes = 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(IlpOverHttpHandler.class);
  // Header names spelled as WebFlux wrote them.
  private static final AsciiString requestIdHeader = AsciiString.cached(RequestIds.header);
  private static final AsciiString contentType = AsciiString.cached("Content-Type");
  private static final AsciiString wwwAuthenticate = AsciiString.cached("WWW-Authenticate");
  private static final AsciiString octetStream = AsciiString.cached("application/octet-stream");
  private static final AsciiString problemJson = AsciiString.cached("application/problem+json");

  private final StreamReceiver receiver;
  private final PacketMetrics metrics;
  private final Predicate<String> connector;
  private final JsonMapper json;
  private final byte[] unauthorized;
  private final byte[] tooLarge;

  /**
   * @param connectorToken the bearer token the upstream connector must send
   * @param json the application's mapper, which renders problem documents as WebFlux does
   */
  public IlpOverHttpHandler(StreamReceiver receiver, PacketMetrics metrics, String connectorToken, JsonMapper json) {
    this.receiver = receiver;
    this.metrics = metrics;
    this.connector = BearerAuth.admitting(connectorToken);
    this.json = json;
    this.unauthorized = json.writeValueAsBytes(Problems.unauthorized());
    this.tooLarge = json.writeValueAsBytes(Problems.problem(HttpStatus.CONTENT_TOO_LARGE, "ilp-packet-too-large",
        "An ILP Prepare is at most " + maxPrepareBytes + " bytes"));
  }

  /** Whether a request is this route's: {@code POST /ilp} ({@link IlpPath}). Everything else goes to WebFlux. */
  public static boolean accepts(HttpServerRequest request) {
    return HttpMethod.POST.equals(request.method()) && IlpPath.matches(request.uri());
  }

  /** {@code POST /ilp}: completes once the answer is written. */
  @Override
  public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
    HttpHeaders headers = request.requestHeaders();
    String given = headers.get(requestIdHeader);
    String id = RequestIds.sane(given) ? given : request.requestId();
    response.header(requestIdHeader, id);
    if (!connector.test(headers.get(HttpHeaderNames.AUTHORIZATION))) {
      response.header(wwwAuthenticate, BearerAuth.challenge);
      return send(response, HttpResponseStatus.UNAUTHORIZED, problemJson, unauthorized);
    }
    long declared = contentLength(headers);
    if (declared > maxPrepareBytes) {
      // Read and drop the body before closing, unless the sender waits for 100 Continue (nothing more is coming)
      // or declared more than is worth reading.
      boolean drain = declared <= maxReadBytes && !expectsContinue(headers);
      return tooLarge(response, drain ? request : null);
    }
    Exchange exchange = new Exchange(id, response);
    request.withConnection(c -> exchange.loop = c.channel().eventLoop());
    return request.receive()
        .reduce(new PrepareBody(declared, maxPrepareBytes, maxReadBytes), PrepareBody::append)
        .flatMap(exchange::answer)
        .onErrorResume(exchange::failed);
  }

  /** One request's state once its headers passed. */
  private final class Exchange {
    final String id;
    final HttpServerResponse response;
    /** The connection's event loop: the reply is built, encrypted and written there. */
    EventLoop loop;

    Exchange(String id, HttpServerResponse response) {
      this.id = id;
      this.response = response;
    }

    Mono<Void> answer(PrepareBody body) {
      if (body.tooLarge()) {
        return tooLarge(response, null);
      }
      long started = System.nanoTime();
      IlpPrepare prepare;
      try {
        prepare = IlpCodec.decodePrepare(body.bytes());
      } catch (DecodeException e) {
        return send(response, HttpResponseStatus.BAD_REQUEST, problemJson, json.writeValueAsBytes(Problems.problem(
            HttpStatus.BAD_REQUEST, "invalid-ilp-prepare", "The body is not an OER ILP Prepare: " + e.getMessage())));
      }
      return Mono.fromFuture(receiver.receive(prepare, loop)).flatMap(reply -> {
        metrics.answered(reply, started);
        if (log.isDebugEnabled()) {
          RequestIds.logging(id, () -> log.debug("Prepare of {} answered with {}",
              Long.toUnsignedString(prepare.amount()), describe(reply)));
        }
        return send(response, HttpResponseStatus.OK, octetStream, IlpCodec.encode(reply));
      });
    }

    /** A body past {@link #maxReadBytes}, or a failure nothing else answered (logged; 500 with no detail). */
    Mono<Void> failed(Throwable error) {
      if (error instanceof PrepareBody.TooLarge) {
        return tooLarge(response, null);
      }
      if (response.hasSentHeaders()) {
        return Mono.error(error);
      }
      RequestIds.logging(id, () -> log.error("Unhandled error on POST /ilp", error));
      return send(response, HttpResponseStatus.INTERNAL_SERVER_ERROR, problemJson,
          json.writeValueAsBytes(Problems.internalError()));
    }
  }

  /**
   * 413, closing the connection: the unread rest of the body must not be taken for the next request. With
   * {@code unread}, a request whose body is still to come, the answer is written at once but the close, which follows
   * the response's last chunk, waits until that body has been read and dropped: closing on unread bytes resets the
   * connection, and a client still sending would lose the answer with it.
   */
  private Mono<Void> tooLarge(HttpServerResponse response, HttpServerRequest unread) {
    response.keepAlive(false);
    if (unread == null) {
      return send(response, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, problemJson, tooLarge);
    }
    response.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE).header(contentType, problemJson)
        .responseHeaders().setInt(HttpHeaderNames.CONTENT_LENGTH, tooLarge.length);
    // A Flux, not a Mono: headers and body go out now, the last chunk when this completes.
    return response.send(Flux.just(Unpooled.wrappedBuffer(tooLarge))).then()
        .then(unread.receive().then().onErrorResume(e -> Mono.empty()));
  }

  /** Writes the whole response, Content-Length set, in one flush. */
  private static Mono<Void> send(HttpServerResponse response, HttpResponseStatus status, AsciiString type,
      byte[] body) {
    return response.status(status).header(contentType, type).sendObject(Unpooled.wrappedBuffer(body)).then();
  }

  private static long contentLength(HttpHeaders headers) {
    String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // Netty's decoder has refused a request with a malformed one already
    }
  }

  private static boolean expectsContinue(HttpHeaders headers) {
    return headers.containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
  }

  private static String describe(IlpPacket reply) {
    return reply instanceof IlpReject r ? "Reject " + r.code().code() + " (" + r.message() + ")" : "Fulfill";
  }
}
