package dev.inlet.stream.sender;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The sender's durable record of each Prepare (implemented by the lead in the ledger). Futures
 * complete when the record is durable; the sender never sends a Prepare before {@code prepared}
 * completed, and stops (failing the send) if a record fails.
 *
 * <p>Zero-amount packets (probes, the close, {@code ConnectionNewAddress}) are not logged: they
 * carry no money. Each {@code prepared} that completed is followed by exactly one of {@code
 * fulfilled}, {@code rejected} or {@code inDoubt}.
 */
public interface SendLog {
  /**
   * Before sending: the Prepare of {@code sequence} with source {@code amount} (unsigned 64) and
   * the minimum the receiver must get ({@code minDelivered}, destination units), expiring at {@code
   * expiresAt}.
   */
  CompletableFuture<Void> prepared(
      long sequence, long amount, long minDelivered, Instant expiresAt);

  /**
   * After the answer: fulfilled with {@code delivered} arriving (from the receiver's STREAM reply,
   * or minDelivered when the reply is unreadable).
   */
  CompletableFuture<Void> fulfilled(long sequence, long delivered);

  /** After the answer: rejected (its amount returns to the reservation). */
  CompletableFuture<Void> rejected(long sequence);

  /** The answer is unknown ({@link LinkException#maybeDelivered()}): the packet stays in doubt. */
  CompletableFuture<Void> inDoubt(long sequence);
}
