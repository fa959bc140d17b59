package dev.inlet.ledger.postgres;

import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchDecider;
import dev.inlet.ledger.batch.LedgerState;
import java.time.Instant;
import java.util.List;

/** Batches decided for the ledger statement's tests: packets to {@link #account}. */
final class TestBatches {
  static final long connector = 1;
  static final long account = 2;

  private TestBatches() {}

  /** {@code packets} decided on a state where the account and their connections hold nothing. */
  static BatchChanges decide(List<PacketRecord> packets) {
    LedgerState state = new LedgerState();
    state.account(account, 0, null);
    for (PacketRecord p : packets) {
      state.connection(p.connectionId(), 0, false, 0, 1);
    }
    BatchChanges changes = new BatchChanges();
    new BatchDecider(100).decide(packets, state, changes, Instant.EPOCH);
    return changes;
  }

  /** A fulfillable packet of {@code amount} (sequence 1) to the account. */
  static PacketRecord packet(
      byte[] connection, String source, long amount, List<StreamCredit> streams) {
    return new PacketRecord(
        connection,
        account,
        0L,
        source,
        1,
        amount,
        Instant.now().plusSeconds(30),
        true,
        false,
        streams,
        List.of());
  }
}
