package dev.inlet.uplink;

import dev.inlet.codec.btp.BtpError;
import dev.inlet.codec.btp.BtpPacket;
import dev.inlet.codec.btp.BtpResponse;
import dev.inlet.codec.btp.ProtocolData;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to a request the BTP parent sends: a Prepare in an {@code ilp} entry goes to the
 * receiver and its Fulfill or Reject comes back in a Response's {@code ilp} entry; anything else (a
 * Transfer, a Message of another sub-protocol) gets an empty Response. As on {@code POST /ilp},
 * once the receiver has taken a Prepare only its answer goes back; a receiver failure is a BTP
 * Error T00, never silence.
 */
final class BtpIncoming {
  private static final Logger log = LoggerFactory.getLogger(BtpIncoming.class);

  private BtpIncoming() {}

  /**
   * @param replyOn where the receiver completes its answer (the uplink's own threads)
   */
  static CompletableFuture<BtpPacket> answer(
      BtpPacket request, IncomingPrepares incoming, Executor replyOn) {
    long id = request.requestId();
    Optional<ProtocolData> ilp = ProtocolData.find(request.protocolData(), ProtocolData.ilp);
    if (ilp.isEmpty() || request.type() != dev.inlet.codec.btp.BtpMessage.typeCode) {
      return CompletableFuture.completedFuture(new BtpResponse(id, List.of()));
    }
    IlpPrepare prepare;
    try {
      prepare = IlpCodec.decodePrepare(ilp.get().data());
    } catch (DecodeException e) {
      return CompletableFuture.completedFuture(
          error(id, "F01", "InvalidPacketError", "not an ILP Prepare: " + e.getMessage()));
    }
    if (incoming == null) {
      IlpReject notReady =
          new IlpReject(
              IlpErrorCode.T00_INTERNAL_ERROR, Optional.empty(), "Receiver not ready", new byte[0]);
      return CompletableFuture.completedFuture(response(id, notReady));
    }
    CompletableFuture<IlpPacket> reply;
    try {
      reply = incoming.receive(prepare, replyOn);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.handle(
        (packet, failure) -> {
          if (failure != null) {
            log.error("Unhandled error on a Prepare from the BTP parent", failure);
            return error(id, "T00", "UnreachableError", "internal error");
          }
          return response(id, packet);
        });
  }

  private static BtpPacket response(long id, IlpPacket packet) {
    return new BtpResponse(id, List.of(ProtocolData.ilp(IlpCodec.encode(packet))));
  }

  private static BtpPacket error(long id, String code, String name, String detail) {
    return new BtpError(
        id, code, name, Instant.now(), detail.getBytes(StandardCharsets.UTF_8), List.of());
  }
}
