package dev.inlet.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's HTTP/1.1 request decoder with a clock: it knows whether a request is partly read and
 * since when (its first byte), so that {@link ConnectionTimers} can hold each request's head and
 * body to a deadline. Unlike {@code HttpServerCodec} it puts no bound on pipelined requests
 * awaiting answers (its {@code maxPipelineDepth} closes the connection past 128): the connection
 * handler bounds them itself by not reading.
 */
final class IlpRequestDecoder extends HttpRequestDecoder {
  private boolean reading;
  private long readingSince;
  private boolean stopped;

  IlpRequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out)
      throws Exception {
    if (stopped) {
      buffer.skipBytes(buffer.readableBytes());
      return;
    }
    if (!reading && buffer.isReadable()) {
      reading = true;
      readingSince = System.nanoTime();
    }
    int before = out.size();
    super.decode(ctx, buffer, out);
    for (int i = before; i < out.size(); i++) {
      if (out.get(i) instanceof LastHttpContent) {
        reading = false;
      }
    }
  }

  /** Whether part of a request has arrived but not yet its end. */
  boolean reading() {
    return reading;
  }

  /**
   * {@link System#nanoTime()} of the first byte of the request being read; only while {@link
   * #reading}.
   */
  long readingSince() {
    return readingSince;
  }

  /**
   * Starts the clock of a partly read request again: after a pause in reading that was the
   * server's, not the client's.
   */
  void restartClock() {
    readingSince = System.nanoTime();
  }

  /** Decodes nothing more: whatever else arrives is dropped. */
  void stop() {
    stopped = true;
  }
}
