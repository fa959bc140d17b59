package dev.inlet.warmup;

import dev.inlet.ledger.Ledger;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warm-up's ledger: answers every packet as the real one would on a fresh connection (fulfilled
 * when fulfillable, else rejected, with each stream's running total) and records nothing, so the
 * warm-up moves no money and leaves no row.
 */
final class DryLedger implements Ledger {
  private final AtomicLong received = new AtomicLong();

  @Override
  public CompletableFuture<PacketOutcome> apply(PacketRecord packet) {
    if (!packet.fulfillable()) {
      return CompletableFuture.completedFuture(PacketOutcome.of(Outcome.REJECTED));
    }
    long total = received.addAndGet(packet.amount());
    List<PacketOutcome.StreamTotals> streams = new ArrayList<>(packet.streams().size());
    for (PacketRecord.StreamCredit credit : packet.streams()) {
      streams.add(new PacketOutcome.StreamTotals(credit.streamId(), total, -1L));
    }
    return CompletableFuture.completedFuture(new PacketOutcome(Outcome.FULFILLED, streams));
  }
}
