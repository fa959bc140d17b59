package dev.inlet.transport;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.web.Problems;
import dev.inlet.web.RequestIds;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The requests of one HTTP/1.1 connection to the ILP-over-HTTP listener ({@link IlpHttpServer}),
 * after its {@link IlpRequestDecoder}: {@code POST /ilp} goes to the receiver, anything else is
 * refused with a problem document ({@link IlpOverHttp}); which targets are {@code /ilp} is {@link
 * IlpRequestTarget}'s rule. Runs on the connection's event loop only.
 *
 * <ul>
 *   <li><b>Order.</b> Requests are answered one at a time, in the order they came (HTTP/1.1
 *       pipelining): a request that arrives while an earlier one is unanswered is held, with
 *       everything after it, until that answer is written.
 *   <li><b>Backpressure.</b> With {@link #maxHeld} messages held, or while the socket takes no more
 *       writes, the connection stops reading, and reads again once they are served: a client may
 *       pipeline as many requests as it likes, each is answered. Held messages are bounded by
 *       {@link #maxHeld} plus what one socket read decodes to.
 *   <li><b>Request deadline.</b> From its first byte, a request's head and whole body must arrive
 *       within the request timeout, else 408 and the connection closes (after any earlier answer):
 *       a client trickling bytes cannot hold a socket. Time the server spends not reading does not
 *       count.
 *   <li><b>Idle timeout.</b> The connection is closed when it has read nothing for the idle timeout
 *       while no answer is pending — never while a Prepare waits for the ledger.
 *   <li><b>Drain.</b> On {@link #drain} (the listener stopping) it closes once no answer is
 *       pending: a Prepare the receiver has taken is always answered first.
 * </ul>
 *
 * <p>One timer per connection serves both timeouts: its {@link ConnectionTimers}, told of each read
 * and each answer written.
 */
final class IlpHttpConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(IlpHttpConnectionHandler.class);

  /** Held messages past which the connection stops reading until they have been served. */
  static final int maxHeld = 64;

  /** User event: close once no answer is pending. */
  static final Object drain = new Object();

  /**
   * Takes a request's place in the held messages when its deadline passes while it is being read.
   */
  private static final Object timedOut = new Object();

  private static final AsciiString octetStream = AsciiString.cached("application/octet-stream");
  private static final AsciiString problemJson = AsciiString.cached("application/problem+json");

  private final IlpOverHttp ilp;
  private final IlpRequestDecoder decoder;
  private final ConnectionTimers timers;

  /** The request being read or answered, or null. */
  private Exchange exchange;

  /**
   * Messages that arrived while an earlier request was unanswered, in order; null until first
   * needed.
   */
  private ArrayDeque<Object> held;

  private boolean pausedReading;

  /** Closing: whatever still arrives is dropped. */
  private boolean closing;

  /** The listener is stopping: close after the answer pending, if any. */
  private boolean draining;

  private long requests;

  IlpHttpConnectionHandler(IlpOverHttp ilp, IlpRequestDecoder decoder) {
    this.ilp = ilp;
    this.decoder = decoder;
    this.timers = new ConnectionTimers(this, ilp, decoder);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timers.start(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    timers.stop();
    closing = true;
    exchange = null;
    dropHeld();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    timers.active();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
    } else if ((held != null && !held.isEmpty()) || mustWait(msg)) {
      hold(ctx, msg);
    } else {
      dispatch(ctx, msg);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      resumeIfServed(ctx);
    } else {
      pauseReading(ctx);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event != drain) {
      ReferenceCountUtil.release(event);
      return;
    }
    draining = true;
    Exchange x = exchange;
    if (x != null && x.received && !x.answered) {
      x.keepAlive = false; // closed once answered: finish
    } else if (!closing) {
      closeAfterWrites(ctx);
    }
  }

  /**
   * A failure of this handler's own code while it serves a request, before the receiver has it,
   * gets a 500 (and the connection closed). Once the receiver has it, only its answer may go back:
   * a credit is never left unanswered.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Exchange x = exchange;
    if (cause instanceof IOException) {
      log.debug("Closing {}: {}", ctx.channel(), cause.toString());
      ctx.close();
      return;
    }
    if (x == null || x.answered || x.received) {
      log.error("Unhandled error on {}", ctx.channel(), cause);
      if (x == null || !x.received) {
        closing = true;
        ctx.close();
      }
      return;
    }
    RequestIds.logging(x.id, () -> log.error("Unhandled error on POST /ilp", cause));
    x.keepAlive = false;
    x.bodyRead = true;
    respond(ctx, x, HttpResponseStatus.INTERNAL_SERVER_ERROR, problemJson, ilp.internalError);
  }

  /**
   * Whether {@code msg}, next in order, must wait for the request before it to be answered: a new
   * request does; a missed deadline does unless it is the current request's own, whose body is
   * still being read.
   */
  private boolean mustWait(Object msg) {
    Exchange x = exchange;
    return x != null && (msg instanceof HttpRequest || (msg == timedOut && x.bodyRead));
  }

  private void dispatch(ChannelHandlerContext ctx, Object msg) {
    if (msg == timedOut) {
      requestTimedOut(ctx);
      return;
    }
    if (msg instanceof HttpRequest request) {
      requests++;
      begin(ctx, request);
    }
    if (msg instanceof HttpContent content) {
      if (exchange != null && !exchange.bodyRead) {
        content(ctx, content);
      } else {
        content.release();
      }
    }
  }

  /** A request's head: answered at once when refused, otherwise its body is read next. */
  private void begin(ChannelHandlerContext ctx, HttpRequest request) {
    HttpHeaders headers = request.headers();
    String given = headers.get(Exchange.requestIdHeader);
    String id = RequestIds.of(given, ctx.channel(), requests);
    Exchange x =
        new Exchange(
            id,
            request.protocolVersion(),
            HttpMethod.HEAD.equals(request.method()),
            HttpUtil.isKeepAlive(request));
    exchange = x;
    if (request.decoderResult().isFailure()) {
      // A head that does not parse: nothing after it can be trusted.
      x.keepAlive = false;
      x.bodyRead = true;
      respond(ctx, x, HttpResponseStatus.BAD_REQUEST, problemJson, ilp.malformed);
      return;
    }
    boolean expectsContinue = HttpUtil.is100ContinueExpected(request);
    long declared = HttpUtil.getContentLength(request, -1L);
    boolean notWorthReading = expectsContinue || declared > Problems.maxDrainedBodyBytes;
    if (!IlpRequestTarget.isIlpPath(request.uri())) {
      refuse(ctx, x, HttpResponseStatus.NOT_FOUND, ilp.notFound, notWorthReading);
      return;
    }
    if (!HttpMethod.POST.equals(request.method())) {
      refuse(ctx, x, HttpResponseStatus.METHOD_NOT_ALLOWED, ilp.methodNotAllowed, notWorthReading);
      return;
    }
    if (!ilp.admits(headers.get(HttpHeaderNames.AUTHORIZATION))) {
      refuse(ctx, x, HttpResponseStatus.UNAUTHORIZED, ilp.unauthorized, notWorthReading);
      return;
    }
    if (declared > IlpCodec.maxPrepareBytes) {
      x.keepAlive = false; // what was not read must not be taken for the next request
      refuse(ctx, x, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ilp.tooLarge, notWorthReading);
      return;
    }
    x.body = new PrepareBody(declared, IlpCodec.maxPrepareBytes, Problems.maxDrainedBodyBytes);
    if (expectsContinue) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
  }

  /**
   * A refusal written before the body is read. The body is then read and dropped — closing on
   * unread bytes resets the connection, and a client still sending would lose the answer with it —
   * unless it is {@code notWorthReading} (a sender waiting for 100 Continue sends nothing more; one
   * declaring more than {@link Problems#maxDrainedBodyBytes} is not waited for): then the
   * connection closes after the answer.
   */
  private void refuse(
      ChannelHandlerContext ctx,
      Exchange x,
      HttpResponseStatus status,
      byte[] problem,
      boolean notWorthReading) {
    x.body = new PrepareBody(0, 0, Problems.maxDrainedBodyBytes);
    if (notWorthReading) {
      x.keepAlive = false;
      x.bodyRead = true;
    }
    respond(ctx, x, status, problemJson, problem);
  }

  private void content(ChannelHandlerContext ctx, HttpContent content) {
    Exchange x = exchange;
    boolean last = content instanceof LastHttpContent;
    try {
      if (content.decoderResult().isFailure()) {
        // A malformed chunk: nothing after it can be trusted.
        giveUpReading(ctx, x, HttpResponseStatus.BAD_REQUEST, ilp.malformed);
        return;
      }
      x.body.append(content.content());
    } catch (PrepareBody.TooLarge e) {
      giveUpReading(ctx, x, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ilp.tooLarge);
      return;
    } finally {
      content.release();
    }
    if (last) {
      x.bodyRead = true;
      if (x.answered) {
        finish(ctx, x, ctx.newSucceededFuture());
      } else {
        answer(ctx, x);
      }
    }
  }

  /**
   * Stops reading the body: answers with {@code problem} unless already answered, and closes the
   * connection.
   */
  private void giveUpReading(
      ChannelHandlerContext ctx, Exchange x, HttpResponseStatus status, byte[] problem) {
    x.keepAlive = false;
    x.bodyRead = true;
    if (x.answered) {
      finish(ctx, x, ctx.newSucceededFuture());
    } else {
      respond(ctx, x, status, problemJson, problem);
    }
  }

  /** The whole body is read: decode, hand to the receiver, answer when it completes. */
  private void answer(ChannelHandlerContext ctx, Exchange x) {
    if (x.body.tooLarge()) {
      x.keepAlive = false;
      respond(ctx, x, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, problemJson, ilp.tooLarge);
      return;
    }
    IlpPrepare prepare;
    try {
      prepare = IlpCodec.decodePrepare(x.body.bytes());
    } catch (DecodeException e) {
      respond(
          ctx,
          x,
          HttpResponseStatus.BAD_REQUEST,
          problemJson,
          ilp.problem(
              HttpStatus.BAD_REQUEST,
              "invalid-ilp-prepare",
              "The body is not an OER ILP Prepare: " + e.getMessage()));
      return;
    }
    x.body = null;
    x.received = true;
    long started = System.nanoTime();
    CompletableFuture<IlpPacket> reply;
    try {
      reply = ilp.receiver.receive(prepare, ctx.channel().eventLoop());
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete(
        (packet, error) -> {
          if (ctx.executor().inEventLoop()) {
            replied(ctx, x, prepare, started, packet, error);
          } else {
            ctx.executor().execute(() -> replied(ctx, x, prepare, started, packet, error));
          }
        });
  }

  private void replied(
      ChannelHandlerContext ctx,
      Exchange x,
      IlpPrepare prepare,
      long started,
      IlpPacket reply,
      Throwable error) {
    if (error != null) {
      RequestIds.logging(x.id, () -> log.error("Unhandled error on POST /ilp", error));
      respond(ctx, x, HttpResponseStatus.INTERNAL_SERVER_ERROR, problemJson, ilp.internalError);
      return;
    }
    ilp.metrics.answered(reply, started);
    if (log.isDebugEnabled()) {
      RequestIds.logging(
          x.id,
          () ->
              log.debug(
                  "Prepare of {} answered with {}",
                  Long.toUnsignedString(prepare.amount()),
                  describe(reply)));
    }
    respond(ctx, x, HttpResponseStatus.OK, octetStream, IlpCodec.encode(reply));
  }

  /**
   * Writes {@code x}'s whole response in one flush, Content-Length set; the exchange ends once its
   * body is read.
   */
  private void respond(
      ChannelHandlerContext ctx,
      Exchange x,
      HttpResponseStatus status,
      AsciiString type,
      byte[] body) {
    if (exchange != x) {
      return; // the connection closed meanwhile
    }
    x.answered = true;
    ChannelFuture written = ctx.writeAndFlush(x.response(status, type, body));
    if (x.bodyRead) {
      finish(ctx, x, written);
    }
  }

  /** Answered and read: close, or go on with whatever was held. */
  private void finish(ChannelHandlerContext ctx, Exchange x, ChannelFuture written) {
    exchange = null;
    timers.active();
    if (!x.keepAlive || draining) {
      closing = true;
      dropHeld();
      written.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    serveHeld(ctx);
  }

  private void hold(ChannelHandlerContext ctx, Object msg) {
    if (held == null) {
      held = new ArrayDeque<>();
    }
    held.add(msg);
    if (held.size() >= maxHeld) {
      pauseReading(ctx);
    }
  }

  /** Dispatches held messages in order until one starts a request that must wait again. */
  private void serveHeld(ChannelHandlerContext ctx) {
    while (held != null && !held.isEmpty() && !closing) {
      if (mustWait(held.peek())) {
        break;
      }
      dispatch(ctx, held.poll());
    }
    resumeIfServed(ctx);
  }

  private void pauseReading(ChannelHandlerContext ctx) {
    if (!pausedReading) {
      pausedReading = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** Reads again once the held messages are down to half the bound and the socket takes writes. */
  private void resumeIfServed(ChannelHandlerContext ctx) {
    if (pausedReading
        && !closing
        && (held == null || held.size() < maxHeld / 2)
        && ctx.channel().isWritable()) {
      pausedReading = false;
      if (decoder.reading()) {
        decoder.restartClock(); // the wait was the server's
      }
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void dropHeld() {
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held.clear();
    }
  }

  /** Writes nothing more but what is already written, then closes. */
  private void closeAfterWrites(ChannelHandlerContext ctx) {
    closing = true;
    exchange = null;
    dropHeld();
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * The request being read missed its deadline: nothing more is read, and once the answers before
   * it are written it gets a 408 and the connection closes.
   */
  private void requestTimedOut(ChannelHandlerContext ctx) {
    Exchange x = exchange;
    if (x == null) {
      // Its head is not complete: answered in its own name.
      x =
          new Exchange(
              ctx.channel().id().asShortText() + '-' + (++requests),
              HttpVersion.HTTP_1_1,
              false,
              false);
      exchange = x;
      x.bodyRead = true;
      respond(ctx, x, HttpResponseStatus.REQUEST_TIMEOUT, problemJson, ilp.timedOut);
    } else {
      giveUpReading(ctx, x, HttpResponseStatus.REQUEST_TIMEOUT, ilp.timedOut);
    }
  }

  /** Closing: whatever still arrives is dropped ({@link ConnectionTimers}: nothing to time). */
  boolean closing() {
    return closing;
  }

  /** Not reading: the request deadline does not run ({@link ConnectionTimers}). */
  boolean readingPaused() {
    return pausedReading;
  }

  /**
   * Whether an answer is pending — a Prepare with the receiver, or held requests — so that the
   * connection is not idle ({@link ConnectionTimers}).
   */
  boolean answerPending() {
    return (exchange != null && exchange.bodyRead && !exchange.answered)
        || (held != null && !held.isEmpty());
  }

  /**
   * {@link ConnectionTimers}: the request being read missed its deadline (its decoder stopped).
   * Reading pauses, and the miss takes the request's place in order.
   */
  void deadlinePassed(ChannelHandlerContext ctx) {
    pauseReading(ctx);
    channelRead(ctx, timedOut);
  }

  /** {@link ConnectionTimers}: idle for the idle timeout, closed. */
  void closeIdle(ChannelHandlerContext ctx) {
    closing = true;
    ctx.close();
  }

  private static String describe(IlpPacket reply) {
    return reply instanceof IlpReject r
        ? "Reject " + r.code().code() + " (" + r.message() + ")"
        : "Fulfill";
  }
}
