package dev.inlet.load;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.StreamKeys;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The sending mode's far side, in the benchmark process: Inlet's parent connector (ILP-over-HTTP,
 * RFC 0035: {@code POST /ilp} with a bearer token, the answer in the 200 body) and, behind it, a
 * STREAM receiver (RFC 0029) with its SPSP server ({@code GET /spsp/<n>}, RFC 0009), on plain Netty
 * (one event loop thread). As a connector it rejects a Prepare above {@link #maxPacketAmount} with
 * {@code F08} and its amounts (RFC 0027), so that each payout takes many packets. As a receiver it
 * decrypts each Prepare with the connection's shared secret using Inlet's own codec and crypto,
 * fulfils the money packets whose condition its fulfillment meets and whose amount reaches the
 * minimum (the reply's {@code prepareAmount} is the amount arrived: the asset and rate are Inlet's,
 * 1:1) and rejects the others with {@code F99} and an encrypted reply, as the sender's rate probes
 * expect. It tells no {@code StreamMaxMoney} (no limit) until {@link #stop}: from then on each
 * money packet is rejected with {@code StreamMaxMoney} at what the connection received, so that
 * every payout ends ("receiver-limit") with exactly what arrived here.
 */
final class SendReceiver implements AutoCloseable {
  static final String token = "load-parent-token-at-least-32-characters";
  static final IlpAddress parentAddress = IlpAddress.of("test.parent");
  private static final String prefix = "test.parent.recv.";

  /** A connection the receiver handed out over SPSP; its figures are guarded by its lock. */
  static final class Connection {
    final StreamKeys keys;
    final byte[] sharedSecret;
    long received;
    long packets;

    Connection(byte[] sharedSecret) {
      this.sharedSecret = sharedSecret;
      this.keys = StreamKeys.derive(sharedSecret);
    }

    synchronized long received() {
      return received;
    }
  }

  private final long maxPacketAmount;
  private final Duration packetExpiry;
  private final Connection[] connections;
  private final EventLoopGroup group;
  private final Channel server;

  /** Where answers are counted now (the warm-up's, then the measured phase's). */
  private volatile Stats stats = new Stats();

  private volatile boolean stopped;

  /** TCP connections Inlet opened to the connector: a pooling client opens few. */
  final java.util.concurrent.atomic.LongAdder accepted =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * @param connections SPSP receivers {@code /spsp/0} to {@code /spsp/connections-1}
   * @param maxPacketAmount the largest Prepare amount the connector forwards
   * @param packetExpiry the sender's Prepare lifetime: a Prepare was built at its expiry minus
   *     this, from which the receiver records how long it took to arrive
   */
  SendReceiver(int connections, long maxPacketAmount, Duration packetExpiry)
      throws InterruptedException {
    this.maxPacketAmount = maxPacketAmount;
    this.packetExpiry = packetExpiry;
    this.connections = new Connection[connections];
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < connections; i++) {
      byte[] secret = new byte[StreamKeys.sharedSecretBytes];
      random.nextBytes(secret);
      this.connections[i] = new Connection(secret);
    }
    boolean epoll = Epoll.isAvailable();
    group =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("load-receiver", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted.increment();
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(64 * 1024))
                        .addLast(new Handler());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The parent's ILP-over-HTTP endpoint, for {@code --inlet.uplink.url}. */
  String ilpUrl() {
    return "http://127.0.0.1:" + port() + "/ilp";
  }

  /** The SPSP URL of connection {@code n}. */
  String spspUrl(int n) {
    return "http://127.0.0.1:" + port() + "/spsp/" + n;
  }

  /** Counts answers in {@code next} from now on. */
  void countIn(Stats next) {
    stats = next;
  }

  /** From now on every money packet is refused at the connection's limit, what it received. */
  void stop() {
    stopped = true;
  }

  /** What connection {@code n} received, source = destination units. */
  long received(int n) {
    return connections[n].received();
  }

  /** The connection of an SPSP destination address, or -1. */
  static int connectionOf(String destination) {
    if (!destination.startsWith(prefix)) {
      return -1;
    }
    try {
      return Integer.parseInt(destination.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      FullHttpResponse response;
      String path = request.uri();
      if (request.method().equals(HttpMethod.POST) && path.equals("/ilp")) {
        if (!("Bearer " + token).equals(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
          response = text(HttpResponseStatus.UNAUTHORIZED, "unauthorized");
        } else {
          byte[] body = ByteBufUtil.getBytes(request.content());
          response = bytes(IlpCodec.encode(answer(body)));
        }
      } else if (request.method().equals(HttpMethod.GET) && path.startsWith("/spsp/")) {
        response = spsp(path.substring("/spsp/".length()));
      } else {
        response = text(HttpResponseStatus.NOT_FOUND, "not found");
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setContentLength(response, response.content().readableBytes());
      if (keepAlive) {
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private FullHttpResponse spsp(String n) {
    int i;
    try {
      i = Integer.parseInt(n);
    } catch (NumberFormatException e) {
      i = -1;
    }
    if (i < 0 || i >= connections.length) {
      return text(HttpResponseStatus.NOT_FOUND, "no such receiver");
    }
    String json =
        "{\"destination_account\":\""
            + prefix
            + i
            + "\",\"shared_secret\":\""
            + Base64.getEncoder().encodeToString(connections[i].sharedSecret)
            + "\"}";
    FullHttpResponse r = text(HttpResponseStatus.OK, json);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/spsp4+json");
    return r;
  }

  /** The connector's, then the receiver's, answer to one Prepare. */
  private IlpPacket answer(byte[] body) {
    Stats s = stats;
    IlpPrepare prepare;
    try {
      prepare = IlpCodec.decodePrepare(body);
    } catch (DecodeException e) {
      return reject(s, IlpErrorCode.F01_INVALID_PACKET, new byte[0]);
    }
    long amount = prepare.amount();
    if (Long.compareUnsigned(amount, maxPacketAmount) > 0) {
      ByteBuffer data = ByteBuffer.allocate(16).putLong(amount).putLong(maxPacketAmount);
      return reject(s, IlpErrorCode.F08_AMOUNT_TOO_LARGE, data.array());
    }
    int n = connectionOf(prepare.destination().value());
    if (n < 0 || n >= connections.length) {
      return reject(s, IlpErrorCode.F02_UNREACHABLE, new byte[0]);
    }
    Connection c = connections[n];
    StreamPacket packet;
    try {
      packet = StreamCodec.decode(c.keys.decrypt(prepare.data()));
    } catch (DecryptionException | DecodeException e) {
      return reject(s, IlpErrorCode.F06_UNEXPECTED_PAYMENT, new byte[0]);
    }
    if (packet.ilpPacketType() != IlpPacketType.PREPARE) {
      return reject(s, IlpErrorCode.F06_UNEXPECTED_PAYMENT, new byte[0]);
    }
    byte[] fulfillment = c.keys.fulfillment(prepare.data());
    boolean fulfils = Conditions.fulfills(fulfillment, prepare.executionCondition());
    long stream = streamOf(packet);
    boolean enough = Long.compareUnsigned(amount, packet.prepareAmount()) >= 0;
    synchronized (c) {
      if (amount != 0 && fulfils && enough && !stopped) {
        c.received += amount;
        c.packets++;
        s.fulfilled.increment();
        s.fulfilledAmount.add(amount);
        long built = prepare.expiresAt().toEpochMilli() - packetExpiry.toMillis();
        s.latency(Math.max(0, System.currentTimeMillis() - built) * 1_000_000);
        return new IlpFulfill(fulfillment, reply(c, IlpPacketType.FULFILL, packet, amount, null));
      }
      // A rate probe (its condition is random), a close, too little, or the end of the run.
      StreamFrame limit =
          stopped && stream != 0 ? new StreamMaxMoney(stream, c.received, c.received) : null;
      return reject(
          s,
          IlpErrorCode.F99_APPLICATION_ERROR,
          reply(c, IlpPacketType.REJECT, packet, amount, limit));
    }
  }

  private static long streamOf(StreamPacket packet) {
    for (StreamFrame f : packet.frames()) {
      if (f instanceof StreamMoney m) {
        return m.streamId();
      }
    }
    return 0;
  }

  private static byte[] reply(
      Connection c, IlpPacketType type, StreamPacket prepare, long arrived, StreamFrame frame) {
    List<StreamFrame> frames = frame == null ? List.of() : List.of(frame);
    return c.keys.encrypt(
        StreamCodec.encode(new StreamPacket(type, prepare.sequence(), arrived, frames)));
  }

  private static IlpReject reject(Stats s, IlpErrorCode code, byte[] data) {
    s.reject(code.code());
    return new IlpReject(code, Optional.of(parentAddress), "", data);
  }

  private static FullHttpResponse bytes(byte[] body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
    return r;
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return r;
  }
}
