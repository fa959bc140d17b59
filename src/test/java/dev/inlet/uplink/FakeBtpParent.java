package dev.inlet.uplink;

import dev.inlet.codec.btp.BtpCodec;
import dev.inlet.codec.btp.BtpPacket;
import dev.inlet.codec.oer.DecodeException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A BTP parent for tests: a Reactor Netty WebSocket server on 127.0.0.1 that records every packet
 * the client sends and answers each with what {@code behaviour} returns; {@link #push} sends the
 * newest connection a request of the parent's own.
 */
final class FakeBtpParent implements AutoCloseable {
  final BlockingQueue<BtpPacket> received = new LinkedBlockingQueue<>();
  private final DisposableServer server;
  private volatile Sinks.Many<BtpPacket> out;

  FakeBtpParent(Function<BtpPacket, List<BtpPacket>> behaviour) {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    response.sendWebsocket(
                        (in, outbound) -> {
                          Sinks.Many<BtpPacket> sink =
                              Sinks.many().unicast().onBackpressureBuffer();
                          out = sink;
                          in.aggregateFrames()
                              .receiveFrames()
                              .map(frame -> ByteBufUtil.getBytes(frame.content()))
                              .subscribe(
                                  bytes -> {
                                    BtpPacket packet = decode(bytes);
                                    received.add(packet);
                                    behaviour.apply(packet).forEach(sink::tryEmitNext);
                                  });
                          return outbound.sendObject(
                              sink.asFlux()
                                  .map(
                                      p ->
                                          new BinaryWebSocketFrame(
                                              Unpooled.wrappedBuffer(BtpCodec.encode(p)))));
                        }))
            .bindNow();
  }

  /** {@code btp+ws://inlet:secret@127.0.0.1:<port>}. */
  String url() {
    return "btp+ws://inlet:secret@127.0.0.1:" + server.port();
  }

  void push(BtpPacket packet) {
    out.tryEmitNext(packet);
  }

  @Override
  public void close() {
    server.disposeNow();
  }

  private static BtpPacket decode(byte[] bytes) {
    try {
      return BtpCodec.decode(bytes);
    } catch (DecodeException e) {
      throw new IllegalStateException(e);
    }
  }
}
