package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import java.util.concurrent.CompletableFuture;

/**
 * Where outgoing ILP Prepares go: the uplink to the parent connector (implemented by
 * dev.inlet.uplink).
 */
public interface PacketLink {
  /**
   * Sends one Prepare and completes with its Fulfill or Reject (RFC 0027). Completes exceptionally
   * with {@link LinkException}: {@code maybeDelivered() == false} when the Prepare surely never
   * left (no connection, refused before any byte of the request was written) — the sender may treat
   * it as rejected; {@code true} when the outcome is unknown (timeout, connection lost after
   * sending, garbage answer) — the packet is in doubt. Never completes later than the Prepare's
   * expiry plus a small margin (the link enforces it).
   */
  CompletableFuture<IlpPacket> send(IlpPrepare prepare);
}
