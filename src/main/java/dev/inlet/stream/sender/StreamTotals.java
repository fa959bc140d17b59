package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.StreamKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a receiver how much has arrived on one of our streams: an unfulfillable, zero-amount Prepare
 * naming the stream ({@code StreamMoney} with one share, RFC 0029 §5.3); the receiver's reply
 * carries the stream's {@code StreamMaxMoney}, whose {@code totalReceived} counts every unit it
 * took on that stream. After a crash this settles packets whose answer was lost: what arrived
 * beyond the packets known fulfilled came from them. Only a receiver that still keeps the
 * connection (and has not closed the stream) can answer; a stateless one, or one that forgot, tells
 * nothing.
 */
public final class StreamTotals {
  private static final Duration expiry = Duration.ofSeconds(30);

  private StreamTotals() {}

  /**
   * @param sequence a sequence number of ours on that connection not used before (RFC 0029 §3.2)
   * @return the stream's total received as the receiver says (unsigned 64-bit, its units); empty
   *     when the reply does not tell it or the link failed
   */
  public static CompletableFuture<Optional<Long>> query(
      PacketLink link,
      IlpAddress destination,
      byte[] sharedSecret,
      long streamId,
      long sequence,
      Clock clock) {
    return ask(link, destination, sharedSecret, streamId, sequence, clock)
        .thenApply(reply -> reply.flatMap(r -> total(r, streamId)));
  }

  /**
   * Sends the same question and completes with the peer's STREAM reply, if one came that decrypts
   * under the shared secret: proof that the address is the peer's (RFC 0029 §5.3.1's check of a new
   * address), whether or not it tells the total (a peer that takes the query for a stray packet
   * answers without its limits).
   *
   * @return the reply; empty when none came or it does not decrypt
   */
  public static CompletableFuture<Optional<StreamPacket>> ask(
      PacketLink link,
      IlpAddress destination,
      byte[] sharedSecret,
      long streamId,
      long sequence,
      Clock clock) {
    StreamKeys keys = StreamKeys.derive(sharedSecret);
    Outgoing outgoing = new Outgoing(keys, destination);
    List<StreamFrame> frames = List.of(new StreamMoney(streamId, 1));
    return link.send(outgoing.unfulfillable(sequence, 0, frames, clock.instant().plus(expiry)))
        .handle(
            (answer, failure) -> {
              StreamPacket reply = null;
              if (failure != null) {
                return Optional.empty();
              } else if (answer instanceof IlpFulfill f) {
                reply = ReplyReader.read(keys, f.data(), IlpPacketType.FULFILL, sequence);
              } else if (answer instanceof IlpReject r) {
                reply = ReplyReader.read(keys, r.data(), IlpPacketType.REJECT, sequence);
              }
              return Optional.ofNullable(reply);
            });
  }

  /** The stream's total received in a reply's {@code StreamMaxMoney}, if it has one. */
  public static Optional<Long> total(StreamPacket reply, long streamId) {
    return reply.frames().stream()
        .filter(f -> f instanceof StreamMaxMoney m && m.streamId() == streamId)
        .map(f -> ((StreamMaxMoney) f).totalReceived())
        .findFirst();
  }
}
