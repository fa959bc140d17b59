package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.crypto.StreamKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Closes a connection on which Inlet has nothing (more) to send its peer: a zero-amount,
 * unfulfillable Prepare carrying {@code ConnectionClose} (RFC 0029 §5.3.1) with an application
 * error and its reason — a voucher that is redeemed, a client that cannot be paid.
 */
public final class ConnectionCloser {
  private static final Duration expiry = Duration.ofSeconds(30);

  private ConnectionCloser() {}

  /**
   * @param sequence a sequence number of ours on that connection not used before (RFC 0029 §3.2)
   * @param reason the close's message, e.g. {@code voucher-redeemed}
   * @return completes when the peer answered or the link failed (never exceptionally)
   */
  public static CompletableFuture<Void> close(
      PacketLink link,
      IlpAddress destination,
      byte[] sharedSecret,
      long sequence,
      String reason,
      Clock clock) {
    Outgoing outgoing = new Outgoing(StreamKeys.derive(sharedSecret), destination);
    return link.send(
            outgoing.unfulfillable(
                sequence,
                0,
                List.of(new ConnectionClose(StreamErrorCode.APPLICATION_ERROR, reason)),
                clock.instant().plus(expiry)))
        .handle((answer, failure) -> null);
  }
}
