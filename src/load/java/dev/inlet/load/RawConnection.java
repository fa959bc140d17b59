package dev.inlet.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.concurrent.TimeUnit;

/**
 * One line of {@link RawIlpClient}: a keep-alive connection, opened when a request needs it (first,
 * and after the server closed the last one), with at most one request in flight. Its state is
 * touched on its event loop only.
 */
final class RawConnection {
  private static final long timeoutNanos = TimeUnit.SECONDS.toNanos(60);

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final ResponseParser parser = new ResponseParser();

  /**
   * The open connection; null before the first, while connecting, and once the current one is given
   * up.
   */
  private Channel channel;

  private boolean connecting;

  /** The request in flight: its answer, and its bytes until a connection takes them. */
  private IlpTransport.Answer answer;

  private byte[] pending;
  private long sentAt;

  /**
   * Inside {@link #send}: failures are then reported from a later task, as the transport promises.
   */
  private boolean sending;

  /** {@code bootstrap} connects on {@code loop}, the thread that runs this connection. */
  RawConnection(Bootstrap bootstrap, EventLoop loop) {
    this.bootstrap = bootstrap;
    this.loop = loop;
  }

  void send(byte[] request, IlpTransport.Answer a) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> send(request, a));
      return;
    }
    if (answer != null) {
      throw new IllegalStateException("a request is already in flight on this connection");
    }
    answer = a;
    sentAt = System.nanoTime();
    sending = true;
    try {
      if (channel != null && channel.isActive()) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(request), channel.voidPromise());
      } else {
        channel = null;
        pending = request;
        if (!connecting) {
          connect();
        }
      }
    } finally {
      sending = false;
    }
  }

  /**
   * Gives up the request in flight if it has waited too long (called every second by the client).
   */
  void expire(long now) {
    if (answer != null && now - sentAt > timeoutNanos) {
      if (channel != null) {
        channel.close();
        channel = null;
      }
      fail("no answer within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
    }
  }

  private void connect() {
    connecting = true;
    bootstrap
        .clone()
        .handler(new Reader())
        .connect()
        .addListener((ChannelFutureListener) this::connected);
  }

  private void connected(ChannelFuture f) {
    connecting = false;
    if (!f.isSuccess()) {
      fail("connect: " + f.cause().getClass().getSimpleName());
      return;
    }
    channel = f.channel();
    if (pending != null) {
      channel.writeAndFlush(Unpooled.wrappedBuffer(pending), channel.voidPromise());
      pending = null;
    }
  }

  private void fail(String error) {
    if (sending) {
      loop.execute(() -> fail(error));
      return;
    }
    IlpTransport.Answer a = answer;
    if (a != null) {
      answer = null;
      pending = null;
      a.failed(error);
    }
  }

  /**
   * Reads one connection's responses; a connection that is not the line's current one is only
   * closed.
   */
  private final class Reader extends ChannelInboundHandlerAdapter {
    /** Bytes of a response not yet whole. */
    private ByteBuf buffered;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      if (ctx.channel() != channel) {
        in.release();
        return;
      }
      buffered =
          buffered == null
              ? in
              : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffered, in);
      try {
        if (!parser.read(buffered)) {
          return;
        }
        // No pipelining: what follows a response in the same read was sent before the next request
        // was.
        if (answer == null || buffered.isReadable()) {
          throw new ResponseParser.BadResponse(
              answer == null ? "a response with no request in flight" : "bytes after the response");
        }
        release();
        if (parser.close) {
          channel = null;
          ctx.close();
        }
        IlpTransport.Answer a = answer;
        answer = null;
        a.answered(parser.status, parser.body);
      } catch (ResponseParser.BadResponse e) {
        lost(ctx, "bad HTTP response: " + e.getMessage());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      lost(ctx, cause.getClass().getSimpleName());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      lost(ctx, "connection closed before the answer");
    }

    private void lost(ChannelHandlerContext ctx, String error) {
      release();
      ctx.close();
      if (ctx.channel() == channel) {
        channel = null;
        fail(error);
      }
    }

    private void release() {
      if (buffered != null) {
        buffered.release();
        buffered = null;
      }
    }
  }
}
