package dev.inlet.transport;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.stream.StreamReceiver;
import dev.inlet.web.Problems;
import dev.inlet.web.RequestIdFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * ILP-over-HTTP, synchronous mode (RFC 0035): the upstream connector POSTs an OER ILP Prepare to {@code /ilp}
 * and reads the Fulfill or Reject from the 200 response. HTTP errors are for transport failures only: 400 for a
 * body that is not a Prepare, 413 for one larger than any Prepare can be (the bearer check is a route filter).
 */
public final class IlpOverHttpHandler {
  /**
   * Largest body accepted, bytes: a Prepare with the largest destination (1023) and data (32767) fields and their
   * length prefixes is under 34 KiB.
   */
  public static final int maxPrepareBytes = 36 * 1024;
  private static final MediaType octetStream = MediaType.APPLICATION_OCTET_STREAM;
  private static final Logger log = LoggerFactory.getLogger(IlpOverHttpHandler.class);

  private final StreamReceiver receiver;
  private final PacketMetrics metrics;

  public IlpOverHttpHandler(StreamReceiver receiver, PacketMetrics metrics) {
    this.receiver = receiver;
    this.metrics = metrics;
  }

  /** {@code POST /ilp}. */
  public Mono<ServerResponse> handle(ServerRequest request) {
    long declared = request.headers().contentLength().orElse(-1);
    if (declared > maxPrepareBytes) {
      return tooLarge(request);
    }
    return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxPrepareBytes)
        .map(IlpOverHttpHandler::bytes)
        .defaultIfEmpty(new byte[0])
        .flatMap(body -> {
          long started = System.nanoTime();
          IlpPrepare prepare;
          try {
            prepare = IlpCodec.decodePrepare(body);
          } catch (DecodeException e) {
            return Problems.respond(HttpStatus.BAD_REQUEST, "invalid-ilp-prepare",
                "The body is not an OER ILP Prepare: " + e.getMessage());
          }
          return Mono.fromFuture(receiver.receive(prepare))
              .flatMap(reply -> {
                metrics.answered(reply, started);
                if (log.isDebugEnabled()) {
                  RequestIdFilter.logging(request, () -> log.debug("Prepare of {} answered with {}",
                      Long.toUnsignedString(prepare.amount()), describe(reply)));
                }
                return ServerResponse.ok().contentType(octetStream).bodyValue(IlpCodec.encode(reply));
              });
        })
        .onErrorResume(DataBufferLimitException.class, e -> tooLarge(request));
  }

  private static String describe(IlpPacket reply) {
    return reply instanceof IlpReject r ? "Reject " + r.code().code() + " (" + r.message() + ")" : "Fulfill";
  }

  private static byte[] bytes(DataBuffer buffer) {
    byte[] bytes = new byte[buffer.readableByteCount()];
    buffer.read(bytes);
    DataBufferUtils.release(buffer);
    return bytes;
  }

  private static Mono<ServerResponse> tooLarge(ServerRequest request) {
    return Problems.tooLarge(request, "ilp-packet-too-large", "An ILP Prepare is at most " + maxPrepareBytes + " bytes");
  }
}
