package dev.inlet.admission;

import dev.inlet.stream.AdmissionReason;
import dev.inlet.web.ClientAddresses;
import dev.inlet.web.HttpLayerProblems;
import dev.inlet.web.KeyedRateLimits;
import dev.inlet.web.RequestIds;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import reactor.netty.NettyPipeline;

/**
 * SPSP queries on the connection's event loop, ahead of WebFlux. The rate limit ({@link
 * SpspRateLimit}) is taken here: a refused query is answered here, 429 {@code sender-quota} with
 * the same problem document, {@code Retry-After}, request id and CORS fields WebFlux would write.
 * An admitted query is answered here too when {@link EarlySpspAnswers} can (an account's pointer
 * already served), with the same fields; else it goes on to WebFlux, marked. When the answer waits
 * for a count made in the background, the query is held, and nothing more read from the connection,
 * until it lands. A query flood is what the limit is for, and through WebFlux each refusal cost
 * about as much as a served query, and each admitted query a few milliseconds of CPU
 * (docs/performance.md, "The flood run"). Queries answered here are counted in {@code
 * inlet.spsp.early.answers}, not in {@code http.server.requests}.
 *
 * <p>One instance per HTTP/1.1 connection, after {@link HttpLayerProblems} (requests that do not
 * decode never reach it). HTTP/1.1 answers in order, so it answers only when every request before
 * on the connection has been answered (which {@link HttpLayerProblems} counts, this answer too); a
 * query pipelined behind an unanswered one goes on unmarked, and the web filter decides it. An
 * admitted query goes on marked, so that the filter does not take a second token for it.
 * Client-sent copies of the mark are removed from every request.
 */
final class SpspEarlyHandler extends ChannelInboundHandlerAdapter {
  /** This handler's name in the pipeline. */
  static final String handlerName = "inlet.spspEarlyHandler";

  private static final HttpResponseStatus status =
      HttpResponseStatus.valueOf(AdmissionProblems.status(AdmissionReason.SENDER_QUOTA).value());

  private final SpspRateLimit limit;
  private final ClientAddresses addresses;
  private final EarlySpspAnswers answers;
  private final Counter answered;

  private long requests;

  /** This connection's, found at its first request (installed with the codec, never removed). */
  private HttpLayerProblems layer;

  /** Messages read while a query's early answer is awaited, that query's first; else null. */
  private ArrayDeque<Object> held;

  /** The rest of a refused request's body is being read and dropped. */
  private boolean dropping;

  private SpspEarlyHandler(
      SpspRateLimit limit, ClientAddresses addresses, EarlySpspAnswers answers, Counter answered) {
    this.limit = limit;
    this.addresses = addresses;
    this.answers = answers;
    this.answered = answered;
  }

  /**
   * Adds the handler right before Reactor Netty's HTTP/1.1 request handling, if the pipeline has it
   * (a server customizer calls this from {@code doOnChannelInit}); {@link HttpLayerProblems}, added
   * right after the codec, stays ahead of it whichever is installed first.
   *
   * @param answered counts the admitted queries answered here
   */
  static void install(
      ChannelPipeline pipeline,
      SpspRateLimit limit,
      ClientAddresses addresses,
      EarlySpspAnswers answers,
      Counter answered) {
    if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
      pipeline.addBefore(
          NettyPipeline.HttpTrafficHandler,
          handlerName,
          new SpspEarlyHandler(limit, addresses, answers, answered));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (held != null) {
      held.add(msg);
      return;
    }
    if (dropping) {
      dropping = !(msg instanceof LastHttpContent);
      swallow(ctx, msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      requests++;
      HttpHeaders headers = request.headers();
      headers.remove(SpspRateLimit.admittedHeader);
      if (layer == null) {
        layer = ctx.pipeline().get(HttpLayerProblems.class);
      }
      PathContainer path =
          layer != null && layer.answeredAllBeforeLatest() ? queryPath(request) : null;
      if (path != null) {
        KeyedRateLimits.Decision d =
            limit.acquire(
                addresses.resolve(
                    (InetSocketAddress) ctx.channel().remoteAddress(), headers::getAll));
        if (!d.allowed()) {
          answer(ctx, request, msg, refusal(d));
          return;
        }
        CompletableFuture<EarlySpspAnswers.Answer> pending = earlyAnswer(path, headers);
        if (pending != null && !pending.isDone()) {
          // Held, and nothing more read, until the answer is known: then on the event loop.
          held = new ArrayDeque<>();
          held.add(msg);
          pending.whenComplete(
              (a, e) -> ctx.executor().execute(() -> resume(ctx, request, e == null ? a : null)));
          return;
        }
        answerOrPassOn(
            ctx,
            request,
            msg,
            pending == null || pending.isCompletedExceptionally() ? null : pending.join());
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * An admitted query, whose first message {@code msg} is: answered with {@code a}, or, when null,
   * sent on to WebFlux marked as admitted.
   */
  private void answerOrPassOn(
      ChannelHandlerContext ctx, HttpRequest request, Object msg, EarlySpspAnswers.Answer a) {
    if (a != null) {
      answer(ctx, request, msg, ok(a));
    } else {
      request.headers().set(SpspRateLimit.admittedHeader, limit.admittedMark());
      ctx.fireChannelRead(msg);
    }
  }

  /** Once a held query's early answer is known: answers it or sends it on, then what came after. */
  private void resume(ChannelHandlerContext ctx, HttpRequest request, EarlySpspAnswers.Answer a) {
    ArrayDeque<Object> queue = held;
    if (queue == null) {
      return; // The connection closed meanwhile.
    }
    held = null;
    answerOrPassOn(ctx, request, queue.poll(), a);
    for (Object m; (m = queue.poll()) != null; ) {
      channelRead(ctx, m); // Held again behind another query that has to wait, if one does.
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseHeld();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  private void releaseHeld() {
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
  }

  /**
   * Writes {@code response} to {@code request}, whose first message {@code msg} was, and drops it.
   */
  private void answer(
      ChannelHandlerContext ctx, HttpRequest request, Object msg, FullHttpResponse response) {
    send(ctx, request, response);
    dropping = !(msg instanceof LastHttpContent);
    swallow(ctx, msg);
  }

  /**
   * Drops what was read. Reactor Netty reads on demand (no auto-read) and asks for more when it is
   * done with a request: for a request it never sees, this asks.
   */
  private static void swallow(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
    if (!ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  /** The path of an SPSP query ({@link SpspRateLimit#isQuery}), else null. */
  private static PathContainer queryPath(HttpRequest request) {
    String uri = request.uri();
    if (!uri.startsWith("/")) {
      return null; // An absolute-form target (a proxy's request): WebFlux reads its path.
    }
    int query = uri.indexOf('?');
    PathContainer path;
    try {
      path = PathContainer.parsePath(query < 0 ? uri : uri.substring(0, query));
    } catch (IllegalArgumentException e) {
      return null; // A bad escape: WebFlux answers it (400).
    }
    return SpspRateLimit.isQuery(request.method().name(), path) ? path : null;
  }

  private FullHttpResponse refusal(KeyedRateLimits.Decision d) {
    FullHttpResponse response = response(status, limit.refusedBody());
    response
        .headers()
        .set(HttpHeaderNames.RETRY_AFTER, SpspRateLimit.retryAfter(d))
        .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    return response;
  }

  /** {@link EarlySpspAnswers#answer}, or null if it throws (WebFlux answers, or fails alike). */
  private CompletableFuture<EarlySpspAnswers.Answer> earlyAnswer(
      PathContainer path, HttpHeaders headers) {
    try {
      return answers.answer(path, headers::get);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private FullHttpResponse ok(EarlySpspAnswers.Answer a) {
    answered.increment();
    FullHttpResponse response = response(HttpResponseStatus.OK, a.body());
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, a.contentType().toString())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }

  private static FullHttpResponse response(HttpResponseStatus status, byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }

  /** Adds the fields every answer on these paths has in WebFlux, and writes. */
  private void send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
    HttpHeaders in = request.headers();
    HttpHeaders out = response.headers();
    out.set(RequestIds.header, RequestIds.of(in.get(RequestIds.header), ctx.channel(), requests))
        // As Spring's CORS processing of the SPSP paths (config.Routes#spspCors) writes them.
        .add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN)
        .add(HttpHeaderNames.VARY, HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)
        .add(HttpHeaderNames.VARY, HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
    String origin = in.get(HttpHeaderNames.ORIGIN);
    if (origin != null && !origin.equalsIgnoreCase("http://" + in.get(HttpHeaderNames.HOST))) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }
    if (HttpUtil.isKeepAlive(request)) {
      ctx.writeAndFlush(response);
    } else {
      out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
