package dev.inlet.ledger;

import java.util.concurrent.CompletableFuture;

/**
 * The double-entry ledger as the STREAM receiver sees it: one call per decrypted ILP Prepare. An
 * implementation applies the packet atomically and durably — the returned future completes only
 * after the credit (if any) is committed, so a Fulfill is never sent for money that is not
 * recorded. It never throws: failures are outcomes.
 */
public interface Ledger {

  /**
   * Applies one packet: credits its amount when {@link PacketRecord#fulfillable()} holds and every
   * limit allows it, otherwise records the rejection. A retried packet (same connection, sequence
   * and amount) is reported as {@link Outcome#DUPLICATE} and credits nothing, also when the
   * connection has closed since.
   *
   * @return the outcome and each named stream's totals after the packet
   */
  CompletableFuture<PacketOutcome> apply(PacketRecord packet);
}
