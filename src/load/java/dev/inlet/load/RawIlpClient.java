package dev.inlet.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The generator's client for {@code POST /ilp}, on plain Netty (epoll where available): one
 * keep-alive HTTP/1.1 connection per line, the pre-built request bytes written as they are, the
 * answer read by {@link ResponseParser}. One event loop thread runs every connection and gives the
 * answers, so the next request is written where the last answer was read: one send and one receive
 * system call per request, and the CPU is left to Inlet.
 */
final class RawIlpClient implements IlpTransport, AutoCloseable {
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final RawConnection[] lines;

  RawIlpClient(int port, int clients) {
    boolean epoll = Epoll.isAvailable();
    group =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("load-ilp", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    loop = group.next();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .remoteAddress(new InetSocketAddress("127.0.0.1", port));
    lines = new RawConnection[clients];
    for (int i = 0; i < clients; i++) {
      lines[i] = new RawConnection(bootstrap, loop);
    }
    loop.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          for (RawConnection line : lines) {
            line.expire(now);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  @Override
  public void send(int line, Pool pool, int p, Answer answer) {
    lines[line].send(pool.requests[p], answer);
  }

  /**
   * Sends {@code request} (a whole HTTP/1.1 request) on {@code line}, which has nothing in flight.
   */
  void send(int line, byte[] request, Answer answer) {
    lines[line].send(request, answer);
  }

  /**
   * The event loop: open-loop pacing then sends without a hand-over, and takes answers back on the
   * same thread.
   */
  @Override
  public EventExecutor pacer() {
    return loop;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
