package dev.inlet.payout;

import dev.inlet.ledger.postgres.OutgoingLedger;
import dev.inlet.ledger.postgres.OutgoingLedger.Answer;
import dev.inlet.stream.sender.SendLog;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The sender's record of one payout's packets: in the outgoing ledger, against its reservation.
 * Once {@code stopped} says so (a mandate revoked, Inlet stopping), no more Prepares are recorded,
 * so none is sent.
 */
record ReservationLog(OutgoingLedger ledger, long reservation, BooleanSupplier stopped)
    implements SendLog {
  @Override
  public CompletableFuture<Void> prepared(
      long sequence, long amount, long minDelivered, Instant expiresAt) {
    if (stopped.getAsBoolean()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("stopped: revoked, or Inlet is stopping"));
    }
    return ledger.prepared(reservation, sequence, amount, minDelivered, expiresAt);
  }

  @Override
  public CompletableFuture<Void> fulfilled(long sequence, long delivered) {
    return ledger.answered(reservation, sequence, Answer.FULFILLED, delivered);
  }

  @Override
  public CompletableFuture<Void> rejected(long sequence) {
    return ledger.answered(reservation, sequence, Answer.REJECTED, 0);
  }

  @Override
  public CompletableFuture<Void> inDoubt(long sequence) {
    return ledger.answered(reservation, sequence, Answer.IN_DOUBT, 0);
  }
}
