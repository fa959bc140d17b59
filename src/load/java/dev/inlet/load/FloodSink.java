package dev.inlet.load;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpReject;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The floods' control target ({@code --flood-to=sink}): a process of its own, beside Inlet on the
 * same machine, that refuses everything as cheaply as a Java HTTP server can: four epoll event
 * loops, Netty's HTTP codec, and a fixed answer whatever the request says (a 429 problem document
 * for a GET, a pre-encoded {@code T05} ILP Reject for a POST). The well-behaved sender's tail while
 * the floods hit this sink instead of Inlet is what the floods cost the machine whatever the
 * receiver does about them: the floor under Inlet's own flooded p99.
 */
final class FloodSink {
  private static final byte[] problem =
      "{\"type\":\"urn:inlet:problem:sender-quota\",\"title\":\"Too Many Requests\",\"status\":429}"
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] reject =
      IlpCodec.encode(
          new IlpReject(IlpErrorCode.T05_RATE_LIMITED, Optional.empty(), "flow-rate", new byte[0]));

  private FloodSink() {}

  /** Serves on an ephemeral port, prints it on a line of its own, and runs until stdin closes. */
  public static void main(String[] args) throws Exception {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            4, new DefaultThreadFactory("sink", true), EpollIoHandler.newFactory());
    Channel channel =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(), new HttpObjectAggregator(65_536), new Refuse());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    System.out.println(((InetSocketAddress) channel.localAddress()).getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // Until the run closes the pipe (or dies).
    }
    group.shutdownGracefully();
  }

  private static final class Refuse extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean post = request.method().equals(HttpMethod.POST);
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              post ? HttpResponseStatus.OK : HttpResponseStatus.TOO_MANY_REQUESTS,
              Unpooled.wrappedBuffer(post ? reject : problem));
      response
          .headers()
          .set(
              HttpHeaderNames.CONTENT_TYPE,
              post ? "application/octet-stream" : "application/problem+json")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, post ? reject.length : problem.length);
      if (!post) {
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
      }
      ctx.writeAndFlush(response);
    }
  }

  /** A running sink: its port; closing it stops the process. */
  record Running(Process process, int port) implements AutoCloseable {
    static Running start() throws Exception {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-Xmx256m", "-XX:+UseParallelGC", "-cp"));
      command.add(System.getProperty("java.class.path"));
      command.add(FloodSink.class.getName());
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
      String line = out.readLine();
      if (line == null || !line.matches("\\d+")) {
        p.destroyForcibly();
        throw new IllegalStateException("flood sink did not start: " + line);
      }
      return new Running(p, Integer.parseInt(line));
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
