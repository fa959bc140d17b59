package dev.inlet.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.netty.resources.LoopResources;

/**
 * The ILP-over-HTTP listener: a small Netty HTTP/1.1 server of its own port ({@code
 * INLET_ILP_PORT}) that serves {@code POST /ilp} only ({@link IlpOverHttp}, RFC 0035), apart from
 * the public SPSP host, as a connector endpoint is kept in Rafiki. Each connection is a {@link
 * IlpRequestDecoder}, Netty's response encoder and an {@link IlpHttpConnectionHandler}; the event
 * loops are its own (native transport where Reactor Netty finds one), as many as Reactor Netty
 * gives its server.
 *
 * <p>A Spring {@link SmartLifecycle} in the last phase: it starts after the web server and stops
 * before it. By the time it stops, the receiver has stopped taking Prepares and the ones it took
 * have been answered ({@code StreamReceiver.awaitIdle}); stopping then closes the listening socket
 * and each connection once its pending answer, if any, is written.
 */
public final class IlpHttpServer implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(IlpHttpServer.class);

  /**
   * How long stopping waits for connections to write what they owe and close before closing them
   * anyway.
   */
  private static final Duration closeTimeout = Duration.ofSeconds(10);

  /** How long stopping waits for the event loops to end. */
  private static final Duration loopShutdownTimeout = Duration.ofSeconds(5);

  private final IlpOverHttp ilp;
  private final InetAddress bindAddress;
  private final int requestedPort;
  private LoopResources loops;
  private ChannelGroup connections;
  private Channel listener;
  private volatile int port = -1;

  /**
   * @param bindAddress the interface to listen on; null for all of them
   * @param port the TCP port, 0 for any free one ({@link #port} tells which)
   */
  public IlpHttpServer(IlpOverHttp ilp, InetAddress bindAddress, int port) {
    this.ilp = ilp;
    this.bindAddress = bindAddress;
    this.requestedPort = port;
  }

  /**
   * @throws IllegalStateException if the port cannot be listened on (taken, or not allowed)
   */
  @Override
  public synchronized void start() {
    if (listener != null) {
      return;
    }
    loops = LoopResources.create("inlet-ilp", LoopResources.DEFAULT_IO_WORKER_COUNT, true);
    EventLoopGroup group = loops.onServer(true);
    connections = new DefaultChannelGroup("inlet-ilp", GlobalEventExecutor.INSTANCE);
    HttpDecoderConfig decoding = new HttpDecoderConfig();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(loops.onChannelClass(ServerSocketChannel.class, group))
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    connections.add(channel);
                    IlpRequestDecoder decoder = new IlpRequestDecoder(decoding);
                    channel
                        .pipeline()
                        .addLast(
                            decoder,
                            new HttpResponseEncoder(),
                            new IlpHttpConnectionHandler(ilp, decoder));
                  }
                });
    InetSocketAddress address =
        bindAddress == null
            ? new InetSocketAddress(requestedPort)
            : new InetSocketAddress(bindAddress, requestedPort);
    try {
      listener = bootstrap.bind(address).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      loops.disposeLater(Duration.ZERO, loopShutdownTimeout).block();
      throw new IllegalStateException(
          "ILP-over-HTTP cannot listen on " + address + " (INLET_ILP_PORT): " + e, e);
    }
    port = ((InetSocketAddress) listener.localAddress()).getPort();
    log.info("ILP-over-HTTP listening on port {} (POST /ilp)", port);
  }

  /**
   * Closes the listening socket, lets each connection write the answer it owes and close, closes
   * what is left after {@link #closeTimeout}, and ends the event loops.
   */
  @Override
  public synchronized void stop() {
    if (listener == null) {
      return;
    }
    listener.close().syncUninterruptibly();
    connections.forEach(c -> c.pipeline().fireUserEventTriggered(IlpHttpConnectionHandler.drain));
    if (!connections.newCloseFuture().awaitUninterruptibly(closeTimeout.toMillis())) {
      log.warn("ILP-over-HTTP connections still open after {}: closing them", closeTimeout);
      connections.close().awaitUninterruptibly(closeTimeout.toMillis());
    }
    loops.disposeLater(Duration.ZERO, loopShutdownTimeout).block();
    listener = null;
    port = -1;
  }

  @Override
  public synchronized boolean isRunning() {
    return listener != null;
  }

  /** The port listened on, or -1 when not listening. */
  public int port() {
    return port;
  }
}
