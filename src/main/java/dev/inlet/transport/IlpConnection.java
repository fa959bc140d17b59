package dev.inlet.transport;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.web.RequestIds;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * One HTTP/1.1 connection's {@code POST /ilp} exchanges ({@link IlpOverHttp}), between Reactor Netty's codec and the
 * rest of its pipeline. Runs on the connection's event loop only.
 *
 * <ul>
 *   <li><b>Order.</b> Requests are answered one at a time, in the order they came (HTTP/1.1 pipelining): a request
 *       that arrives while an earlier one — this handler's or one passed on to Reactor Netty — is unanswered is held,
 *       with everything after it, until that answer's last chunk has been written. More than {@link #maxHeld} held
 *       messages pause reading.
 *   <li><b>Reading.</b> Reactor Netty reads on demand; once this handler takes a request the connection reads
 *       continuously (no per-request change of the socket's epoll interest), paced by the one-at-a-time rule.
 *   <li><b>Idle timeout.</b> The connection is closed when it has read nothing for the timeout while no answer is
 *       pending — never while a Prepare waits for the ledger. One timer per connection, rescheduled as it fires.
 * </ul>
 */
final class IlpConnection extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(IlpConnection.class);
  /** Held messages past which the connection stops reading until they have been served. */
  static final int maxHeld = 64;
  private static final AsciiString octetStream = AsciiString.cached("application/octet-stream");
  private static final AsciiString problemJson = AsciiString.cached("application/problem+json");

  private final IlpOverHttp ilp;
  /** This handler's request being read or answered, or null. */
  private Exchange exchange;
  /** Requests passed on to Reactor Netty whose answer's last chunk is not written yet. */
  private int passedOn;
  /** Whether the content read next belongs to the last request passed on. */
  private boolean readingPassedOn;
  /** Messages that arrived while an earlier request was unanswered, in order; null until first needed. */
  private ArrayDeque<Object> held;
  private boolean pausedReading;
  /** Closing: whatever still arrives is dropped. */
  private boolean closing;
  private long requests;
  /** {@link System#nanoTime()} of the last read, or of the last answer written. */
  private long lastActive;
  private ScheduledFuture<?> idleCheck;

  IlpConnection(IlpOverHttp ilp) {
    this.ilp = ilp;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    lastActive = System.nanoTime();
    idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), ilp.idleTimeoutNanos, TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    closing = true;
    exchange = null;
    dropHeld();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    lastActive = System.nanoTime();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
    } else if ((held != null && !held.isEmpty()) || (msg instanceof HttpRequest && answerPending())) {
      hold(ctx, msg);
    } else {
      dispatch(ctx, msg);
    }
  }

  /** Counts the last chunk of each answer to a request passed on: the next held request may then start. */
  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (passedOn > 0 && msg instanceof LastHttpContent && !informational(msg)) {
      passedOn--;
      lastActive = System.nanoTime();
      if (passedOn == 0 && held != null && !held.isEmpty()) {
        // Not from inside Reactor Netty's write: the held request may be its own next one.
        ctx.executor().execute(() -> serveHeld(ctx));
      }
    }
    ctx.write(msg, promise);
  }

  /**
   * A failure of this handler's own code while it serves a request, before the receiver has it, gets a 500 (and the
   * connection closed). Once the receiver has it, only its answer may go back: a credit is never left unanswered.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Exchange x = exchange;
    if (x == null || x.answered || x.received || cause instanceof IOException) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    RequestIds.logging(x.id, () -> log.error("Unhandled error on POST /ilp", cause));
    x.keepAlive = false;
    x.bodyRead = true;
    respond(ctx, x, HttpResponseStatus.INTERNAL_SERVER_ERROR, problemJson, ilp.internalError);
  }

  private boolean answerPending() {
    return exchange != null || passedOn > 0;
  }

  private void dispatch(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      requests++;
      if (request.decoderResult().isFailure() || !IlpOverHttp.accepts(request)) {
        // Reactor Netty answers malformed requests (400) and WebFlux every other route.
        passedOn++;
        readingPassedOn = !(msg instanceof LastHttpContent);
        ctx.fireChannelRead(msg);
        return;
      }
      begin(ctx, request);
      if (msg instanceof HttpContent content) {
        if (exchange != null && !exchange.bodyRead) {
          content(ctx, content);
        } else {
          content.release();
        }
      }
    } else if (msg instanceof HttpContent content && exchange != null && !exchange.bodyRead) {
      content(ctx, content);
    } else {
      if (readingPassedOn && msg instanceof LastHttpContent) {
        readingPassedOn = false;
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** A {@code POST /ilp}'s head: answered at once when refused, otherwise its body is read next. */
  private void begin(ChannelHandlerContext ctx, HttpRequest request) {
    HttpHeaders headers = request.headers();
    String given = headers.get(Exchange.requestIdHeader);
    String id = RequestIds.sane(given) ? given : ctx.channel().id().asShortText() + '-' + requests;
    Exchange x = new Exchange(id, request.protocolVersion(), HttpUtil.isKeepAlive(request));
    exchange = x;
    if (!ctx.channel().config().isAutoRead() && !pausedReading) {
      ctx.channel().config().setAutoRead(true);
    }
    boolean expectsContinue = HttpUtil.is100ContinueExpected(request);
    long declared = HttpUtil.getContentLength(request, -1L);
    boolean notWorthReading = expectsContinue || declared > IlpOverHttp.maxReadBytes;
    if (!ilp.admits(headers.get(HttpHeaderNames.AUTHORIZATION))) {
      refuse(ctx, x, HttpResponseStatus.UNAUTHORIZED, ilp.unauthorized, notWorthReading);
      return;
    }
    if (declared > IlpOverHttp.maxPrepareBytes) {
      x.keepAlive = false; // what was not read must not be taken for the next request
      refuse(ctx, x, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ilp.tooLarge, notWorthReading);
      return;
    }
    x.body = new PrepareBody(declared, IlpOverHttp.maxPrepareBytes, IlpOverHttp.maxReadBytes);
    if (expectsContinue) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
  }

  /**
   * 401 or 413, written before the body is read. The body is then read and dropped — closing on unread bytes resets
   * the connection, and a client still sending would lose the answer with it — unless it is {@code notWorthReading}
   * (a sender waiting for 100 Continue sends nothing more; one declaring more than {@link IlpOverHttp#maxReadBytes}
   * is not waited for): then the connection closes after the answer.
   */
  private void refuse(ChannelHandlerContext ctx, Exchange x, HttpResponseStatus status, byte[] problem,
      boolean notWorthReading) {
    x.body = new PrepareBody(0, 0, IlpOverHttp.maxReadBytes);
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
        giveUpReading(ctx, x, HttpResponseStatus.BAD_REQUEST, ilp.problem(HttpStatus.BAD_REQUEST,
            "malformed-request", "The request body is not valid HTTP/1.1"));
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

  /** Stops reading the body: answers with {@code problem} unless already answered, and closes the connection. */
  private void giveUpReading(ChannelHandlerContext ctx, Exchange x, HttpResponseStatus status, byte[] problem) {
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
      respond(ctx, x, HttpResponseStatus.BAD_REQUEST, problemJson, ilp.problem(HttpStatus.BAD_REQUEST,
          "invalid-ilp-prepare", "The body is not an OER ILP Prepare: " + e.getMessage()));
      return;
    }
    x.body = null;
    x.received = true;
    long started = System.nanoTime();
    ilp.answering();
    CompletableFuture<IlpPacket> reply;
    try {
      reply = ilp.receiver.receive(prepare, ctx.channel().eventLoop());
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((packet, error) -> {
      if (ctx.executor().inEventLoop()) {
        replied(ctx, x, prepare, started, packet, error);
      } else {
        ctx.executor().execute(() -> replied(ctx, x, prepare, started, packet, error));
      }
    });
  }

  private void replied(ChannelHandlerContext ctx, Exchange x, IlpPrepare prepare, long started, IlpPacket reply,
      Throwable error) {
    try {
      if (error != null) {
        RequestIds.logging(x.id, () -> log.error("Unhandled error on POST /ilp", error));
        respond(ctx, x, HttpResponseStatus.INTERNAL_SERVER_ERROR, problemJson, ilp.internalError);
        return;
      }
      ilp.metrics.answered(reply, started);
      if (log.isDebugEnabled()) {
        RequestIds.logging(x.id, () -> log.debug("Prepare of {} answered with {}",
            Long.toUnsignedString(prepare.amount()), describe(reply)));
      }
      respond(ctx, x, HttpResponseStatus.OK, octetStream, IlpCodec.encode(reply));
    } finally {
      ilp.answered();
    }
  }

  /** Writes {@code x}'s whole response in one flush, Content-Length set; the exchange ends once its body is read. */
  private void respond(ChannelHandlerContext ctx, Exchange x, HttpResponseStatus status, AsciiString type,
      byte[] body) {
    if (exchange != x) {
      return; // the connection closed meanwhile
    }
    FullHttpResponse response = x.response(status, type, body);
    x.answered = true;
    ChannelFuture written = ctx.writeAndFlush(response);
    if (x.bodyRead) {
      finish(ctx, x, written);
    }
  }

  /** Answered and read: close, or go on with whatever was held. */
  private void finish(ChannelHandlerContext ctx, Exchange x, ChannelFuture written) {
    exchange = null;
    lastActive = System.nanoTime();
    if (!x.keepAlive) {
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
    if (held.size() >= maxHeld && !pausedReading) {
      pausedReading = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** Dispatches held messages in order until one is a request that must wait again. */
  private void serveHeld(ChannelHandlerContext ctx) {
    while (held != null && !held.isEmpty() && !closing) {
      if (held.peek() instanceof HttpRequest && answerPending()) {
        break;
      }
      dispatch(ctx, held.poll());
    }
    if (pausedReading && (held == null || held.size() < maxHeld / 2) && !closing) {
      pausedReading = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void dropHeld() {
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held.clear();
    }
  }

  private void checkIdle(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    boolean waitingForAnswer = (exchange != null && exchange.bodyRead && !exchange.answered)
        || (passedOn > 0 && !readingPassedOn);
    long wait = waitingForAnswer ? ilp.idleTimeoutNanos : lastActive + ilp.idleTimeoutNanos - System.nanoTime();
    if (wait > 0) {
      idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), wait, TimeUnit.NANOSECONDS);
      return;
    }
    log.debug("Closing {}: idle for {} ms", ctx.channel(), TimeUnit.NANOSECONDS.toMillis(ilp.idleTimeoutNanos));
    closing = true;
    ctx.close();
  }

  private static boolean informational(Object msg) {
    return msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
  }

  private static String describe(IlpPacket reply) {
    return reply instanceof IlpReject r ? "Reject " + r.code().code() + " (" + r.message() + ")" : "Fulfill";
  }
}
