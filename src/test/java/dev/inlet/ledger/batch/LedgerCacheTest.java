package dev.inlet.ledger.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.TestPackets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which batches the cache decides alone. Credited sequences are not cached, so a packet that could
 * be a retry on a closed connection — which the decider fulfils again when its sequence was
 * credited with the same amount — goes to the locked read, which loads them.
 */
class LedgerCacheTest {
  static final long account = 7;
  static final byte[] open = {1};
  static final byte[] closed = {2};

  final LedgerCache cache = new LedgerCache(100);

  LedgerCacheTest() {
    LedgerState committed = new LedgerState();
    committed.account(account, 50, null);
    committed.connection(open, 0, false, 0, 1);
    committed.connection(closed, 50, true, 0, 1);
    cache.committed(committed, new BatchChanges());
  }

  @Test
  void moneyOnAnOpenConnectionIsDecidedOnTheCache() {
    assertThat(
            cache.stateFor(
                List.of(packet(open, 1, 10, true, false), packet(open, 2, 10, true, false))))
        .isNotNull();
  }

  @Test
  void moneyThatCouldBeARetryOnAClosedConnectionIsReadUnderLocks() {
    assertThat(cache.stateFor(List.of(packet(closed, 1, 50, true, false)))).isNull();
  }

  @Test
  void moneyAfterACloseInTheSameBatchIsReadUnderLocks() {
    assertThat(
            cache.stateFor(
                List.of(packet(open, 3, 0, true, true), packet(open, 1, 10, true, false))))
        .isNull();
    // Money before the close, or on another connection, cannot be such a retry.
    assertThat(cache.stateFor(List.of(packet(open, 1, 10, true, true)))).isNotNull();
  }

  @Test
  void whatCannotBeARetryOnAClosedConnectionStaysOnTheCache() {
    // A zero amount or a packet the receiver declines is never a retry: CONNECTION_CLOSED either
    // way.
    assertThat(
            cache.stateFor(
                List.of(packet(closed, 1, 0, true, false), packet(closed, 2, 50, false, false))))
        .isNotNull();
  }

  private static PacketRecord packet(
      byte[] connection, long sequence, long amount, boolean fulfillable, boolean close) {
    return TestPackets.packet(
        connection,
        account,
        sequence,
        amount,
        fulfillable,
        close,
        List.of(new StreamCredit(1, amount, false)),
        List.of());
  }
}
