package dev.inlet.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import reactor.netty.NettyPipeline;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web server's own refusals — answers no WebFlux route wrote — as problem documents with a
 * request id, like every other error. One instance per HTTP/1.1 connection, right after Reactor
 * Netty's codec ({@link #install}), on the connection's event loop.
 *
 * <ul>
 *   <li><b>A request that does not decode</b> is answered here and never reaches Reactor Netty: 414
 *       {@code uri-too-long} for a request line longer than {@code
 *       server.netty.max-initial-line-length}, 431 {@code request-header-fields-too-large} for
 *       header fields larger than {@code server.max-http-request-header-size}, 400 {@code
 *       malformed-request} for anything else. Reactor Netty would answer with no body, and when
 *       such a request follows another on a kept-alive connection before Reactor Netty has let go
 *       of the earlier one, it does not answer it at all and leaves the connection open. Here the
 *       refusal waits for the answers to the requests before it (HTTP/1.1 answers in order), then
 *       goes out and the connection closes: after a request that did not parse, nothing more read
 *       from it can be trusted. What arrives meanwhile is read and dropped (the codec discards the
 *       rest of a bad head), so the close does not reset the connection under the answer.
 *   <li><b>A bare error answer</b> — an error status with an empty body and no {@code
 *       X-Request-Id}, which every answer through WebFlux carries ({@link RequestIdFilter}) — is
 *       replaced with the same status and a problem document, and the connection closes after it.
 *       Spring writes one for a request-target that is no URI (a raw NUL, a bad escape such as
 *       {@code %G1}).
 * </ul>
 *
 * <p>The request id is the request's own sane {@code X-Request-Id} (as far as its head was read),
 * else {@code <channel id>-<request number>}, as on the ILP port. Reactor Netty offers no hook for
 * its decoding-failure answer; its maintainers point to a channel handler
 * (reactor/reactor-netty#3327).
 */
public final class HttpLayerProblems extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(HttpLayerProblems.class);

  /** This handler's name in the pipeline. */
  public static final String handlerName = "inlet.httpLayerProblems";

  private final Bodies bodies;

  /** Ids of the requests passed on whose answer has not started, oldest first. */
  private final ArrayDeque<String> ids = new ArrayDeque<>();

  /** Requests passed on whose answer has not been written to its end. */
  private int unanswered;

  private long requests;

  /** A request did not decode: everything read from now on is dropped. */
  private boolean refusing;

  /** The refusal waiting for the answers before it, or null. */
  private FullHttpResponse refusal;

  private HttpLayerProblems(Bodies bodies) {
    this.bodies = bodies;
  }

  /**
   * Adds the handler after Reactor Netty's HTTP/1.1 codec, if the pipeline has one (a server
   * customizer calls it from {@code doOnChannelInit}).
   */
  public static void install(ChannelPipeline pipeline, Bodies bodies) {
    if (pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec) {
      pipeline.addAfter(NettyPipeline.HttpCodec, handlerName, new HttpLayerProblems(bodies));
    }
  }

  /**
   * Whether every request read on this connection before the latest one has been answered to its
   * end: a handler after this one may then answer the latest itself without breaking HTTP/1.1's
   * order.
   */
  public boolean answeredAllBeforeLatest() {
    return unanswered <= 1;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refusing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      requests++;
      String given = request.headers().get(RequestIds.header);
      String id = RequestIds.of(given, ctx.channel(), requests);
      if (request.decoderResult().isFailure()) {
        refuse(ctx, request.decoderResult().cause(), id);
        ReferenceCountUtil.release(msg);
        return;
      }
      ids.add(id);
      unanswered++;
    }
    ctx.fireChannelRead(msg);
  }

  private void refuse(ChannelHandlerContext ctx, Throwable cause, String id) {
    HttpResponseStatus status =
        cause instanceof TooLongHttpLineException
            ? HttpResponseStatus.REQUEST_URI_TOO_LONG
            : cause instanceof TooLongHttpHeaderException
                ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
    RequestIds.logging(
        id,
        () ->
            log.debug("Refused a request that does not decode ({}): {}", status, cause.toString()));
    refusing = true;
    refusal = problem(status, id);
    if (unanswered == 0) {
      sendRefusal(ctx);
    }
  }

  private void sendRefusal(ChannelHandlerContext ctx) {
    FullHttpResponse r = refusal;
    refusal = null;
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean informational =
        msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (msg instanceof HttpResponse response && !informational) {
      String id = ids.poll();
      if (isBareError(response)) {
        ReferenceCountUtil.release(msg);
        unanswered = Math.max(0, unanswered - 1);
        ChannelPromise written = promise.unvoid();
        ctx.write(
            problem(response.status(), id != null ? id : ctx.channel().id().asShortText()),
            written);
        written.addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    ctx.write(msg, promise);
    if (msg instanceof LastHttpContent && !informational) {
      unanswered = Math.max(0, unanswered - 1);
      if (unanswered == 0 && refusal != null) {
        sendRefusal(ctx);
      }
    }
  }

  /** An error answer with an empty body and no request id: written below WebFlux. */
  private static boolean isBareError(HttpResponse response) {
    return response instanceof FullHttpResponse full
        && response.status().code() >= 400
        && full.content().readableBytes() == 0
        && !response.headers().contains(RequestIds.header);
  }

  private FullHttpResponse problem(HttpResponseStatus status, String id) {
    byte[] body = bodies.of(status.code());
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(RequestIds.header, id)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }

  /**
   * The problem documents, rendered once with the application's {@link JsonMapper} (the bytes
   * WebFlux would write): 400 {@code malformed-request}, 414 {@code uri-too-long}, 431 {@code
   * request-header-fields-too-large} naming the limits in force, and for any other status the slug
   * {@link ProblemExceptionHandler} would give it.
   */
  public static final class Bodies {
    private final JsonMapper json;
    private final Map<Integer, byte[]> known;

    /**
     * @param maxInitialLineBytes the longest request line the server reads, bytes
     * @param maxHeaderBytes the largest header block the server reads, bytes
     */
    public Bodies(JsonMapper json, long maxInitialLineBytes, long maxHeaderBytes) {
      this.json = json;
      this.known =
          Map.of(
              400,
              json.writeValueAsBytes(Problems.malformedRequest()),
              414,
              render(
                  HttpStatus.URI_TOO_LONG,
                  "uri-too-long",
                  "The request line is longer than " + maxInitialLineBytes + " bytes"),
              431,
              render(
                  HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                  "request-header-fields-too-large",
                  "The request's header fields are larger than " + maxHeaderBytes + " bytes"),
              500,
              json.writeValueAsBytes(Problems.internalError()));
    }

    byte[] of(int status) {
      byte[] body = known.get(status);
      if (body != null) {
        return body;
      }
      HttpStatus resolved = HttpStatus.resolve(status);
      HttpStatus shown = resolved == null ? HttpStatus.BAD_REQUEST : resolved;
      return render(shown, Problems.slug(shown), shown.getReasonPhrase());
    }

    private byte[] render(HttpStatus status, String slug, String detail) {
      return json.writeValueAsBytes(Problems.problem(status, slug, detail));
    }
  }
}
