package dev.inlet.ledger.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketOutcome.StreamTotals;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.DataChunk;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.TestPackets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ledger's rules on one batch: each packet sees the effects of those before it in the same
 * batch.
 */
class BatchDeciderTest {
  static final long account = 7;
  static final byte[] connection = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  static final long maxUint64 = -1L;

  final BatchDecider decider = new BatchDecider(100);
  final BatchChanges changes = new BatchChanges();

  @Test
  void aRetryInTheSameBatchIsFulfilledAgainButCreditedOnce() {
    LedgerState state = state(0, null);
    List<PacketOutcome> outcomes =
        decider.decide(List.of(pay(1, 50), pay(1, 50), pay(1, 51)), state, changes, Instant.EPOCH);
    assertThat(outcomes)
        .extracting(PacketOutcome::outcome)
        .containsExactly(Outcome.FULFILLED, Outcome.DUPLICATE, Outcome.SEQUENCE_REUSED);
    assertThat(changes.packets()).hasSize(1);
    assertThat(changes.credits()).containsEntry(account, 50L);
  }

  @Test
  void aSequenceCreditedInAnEarlierBatchIsADuplicate() {
    LedgerState state = state(50, null);
    state.credited(connection, 1, 50);
    assertThat(decider.decide(List.of(pay(1, 50)), state, changes, Instant.EPOCH).get(0).outcome())
        .isEqualTo(Outcome.DUPLICATE);
    assertThat(changes.packets()).isEmpty();
  }

  @Test
  void retryOfACreditedPacketThatClosedTheConnectionIsFulfilledAgain() {
    LedgerState state = state(0, null);
    PacketRecord last =
        packet(1, 50, true, true, List.of(new StreamCredit(1, 50, false)), List.of());
    List<PacketOutcome> outcomes =
        decider.decide(List.of(last, last), state, changes, Instant.EPOCH);
    // The connector lost the Fulfill and retries: fulfilled again, not refused as closed, and
    // credited once.
    assertThat(outcomes)
        .extracting(PacketOutcome::outcome)
        .containsExactly(Outcome.FULFILLED, Outcome.DUPLICATE);
    assertThat(outcomes.get(1).streams()).containsExactly(new StreamTotals(1, 50, maxUint64));
    assertThat(changes.packets()).hasSize(1);
    assertThat(changes.credits()).containsEntry(account, 50L);
    assertThat(changes.connections().values())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.closes()).isTrue();
              assertThat(c.fulfilled()).isEqualTo(1);
              assertThat(c.rejected()).isZero();
            });

    // A later batch, on the closed connection as stored: the same retry is fulfilled again;
    // anything else is not.
    LedgerState stored = new LedgerState();
    stored.account(account, 50, null);
    stored.connection(connection, 50, true, 0, 2);
    stored.stream(connection, 1, 50, maxUint64, false);
    stored.credited(connection, 1, 50);
    BatchChanges later = new BatchChanges();
    PacketRecord otherAmount =
        packet(1, 51, true, false, List.of(new StreamCredit(1, 51, false)), List.of());
    assertThat(
            decider.decide(
                List.of(last, otherAmount, pay(2, 50), pay(1, 0)), stored, later, Instant.EPOCH))
        .extracting(PacketOutcome::outcome)
        .containsExactly(
            Outcome.DUPLICATE,
            Outcome.CONNECTION_CLOSED,
            Outcome.CONNECTION_CLOSED,
            Outcome.CONNECTION_CLOSED);
    assertThat(later.packets()).isEmpty();
    assertThat(later.credits()).isEmpty();
    assertThat(later.connections().values())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.fulfilled()).isZero();
              assertThat(c.rejected()).isEqualTo(3);
            });
  }

  @Test
  void retryOfAPacketCreditedBeforeTheCloseIsFulfilledAgain() {
    LedgerState state = state(0, null);
    PacketRecord close = packet(2, 0, true, true, List.of(), List.of());
    PacketRecord declinedRetry =
        packet(1, 50, false, false, List.of(new StreamCredit(1, 50, false)), List.of());
    List<PacketOutcome> outcomes =
        decider.decide(
            List.of(pay(1, 50), close, pay(1, 50), declinedRetry), state, changes, Instant.EPOCH);
    // Only a packet the receiver would fulfil is a retry; the declined one finds the connection
    // closed.
    assertThat(outcomes)
        .extracting(PacketOutcome::outcome)
        .containsExactly(
            Outcome.FULFILLED, Outcome.FULFILLED, Outcome.DUPLICATE, Outcome.CONNECTION_CLOSED);
    assertThat(changes.credits()).containsEntry(account, 50L);
  }

  @Test
  void aZeroAmountOnACreditedSequenceIsFulfilledAndCreditsNothing() {
    LedgerState state = state(0, null);
    List<PacketOutcome> outcomes =
        decider.decide(List.of(pay(1, 50), pay(1, 0)), state, changes, Instant.EPOCH);
    assertThat(outcomes)
        .extracting(PacketOutcome::outcome)
        .containsExactly(Outcome.FULFILLED, Outcome.FULFILLED);
    assertThat(changes.packets())
        .singleElement()
        .satisfies(p -> assertThat(p.amount()).isEqualTo(50));
    assertThat(changes.credits()).containsEntry(account, 50L);
  }

  @Test
  void theReceiveLimitHoldsPacketByPacket() {
    LedgerState state = state(0, 1000L);
    List<PacketOutcome> outcomes =
        decider.decide(
            List.of(pay(1, 600), pay(2, 600), pay(3, 400)), state, changes, Instant.EPOCH);
    assertThat(outcomes)
        .extracting(PacketOutcome::outcome)
        .containsExactly(Outcome.FULFILLED, Outcome.LIMIT_EXCEEDED, Outcome.FULFILLED);
    assertThat(changes.credits()).containsEntry(account, 1000L);
    // Advertised: what the stream has plus what the account may still take.
    assertThat(outcomes.get(0).streams()).containsExactly(new StreamTotals(1, 600, 1000));
    assertThat(outcomes.get(1).streams()).containsExactly(new StreamTotals(1, 600, 1000));
    assertThat(outcomes.get(2).streams()).containsExactly(new StreamTotals(1, 1000, 1000));
  }

  @Test
  void noTotalPassesTwoToTheSixtyFourMinusOne() {
    LedgerState state = state(maxUint64 - 1, null);
    List<PacketOutcome> outcomes =
        decider.decide(List.of(pay(1, 1), pay(2, 1)), state, changes, Instant.EPOCH);
    assertThat(outcomes)
        .extracting(PacketOutcome::outcome)
        .containsExactly(Outcome.FULFILLED, Outcome.OVERFLOW);
    assertThat(changes.credits()).containsEntry(account, 1L);
  }

  @Test
  void aClosedStreamTakesNoMoreMoney() {
    LedgerState state = state(0, null);
    PacketRecord close =
        packet(1, 0, true, false, List.of(new StreamCredit(1, 0, true)), List.of());
    List<PacketOutcome> outcomes =
        decider.decide(List.of(close, pay(2, 10)), state, changes, Instant.EPOCH);
    assertThat(outcomes)
        .extracting(PacketOutcome::outcome)
        .containsExactly(Outcome.FULFILLED, Outcome.STREAM_CLOSED);
    assertThat(changes.packets()).isEmpty();
  }

  @Test
  void dataPastTheBoundClosesTheConnection() {
    LedgerState state = state(0, null);
    PacketRecord data =
        packet(1, 0, true, false, List.of(), List.of(new DataChunk(1, 0, new byte[60])));
    PacketRecord more =
        packet(2, 0, true, false, List.of(), List.of(new DataChunk(3, 0, new byte[60])));
    List<PacketOutcome> outcomes =
        decider.decide(List.of(data, data, more, pay(3, 5)), state, changes, Instant.EPOCH);
    assertThat(outcomes)
        .extracting(PacketOutcome::outcome)
        .containsExactly(
            Outcome.FULFILLED, Outcome.FULFILLED, Outcome.DATA_LIMIT, Outcome.CONNECTION_CLOSED);
    assertThat(changes.data()).hasSize(1);
    assertThat(changes.connections().values())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.closes()).isTrue();
              assertThat(c.dataBytes()).isEqualTo(60);
              assertThat(c.fulfilled()).isEqualTo(2);
              assertThat(c.rejected()).isEqualTo(2);
            });
  }

  @Test
  void aChunkSentTwiceInOnePacketIsKeptAndCountedOnce() {
    LedgerState state = state(0, null);
    DataChunk chunk = new DataChunk(1, 0, new byte[40]);
    PacketRecord twice = packet(1, 0, true, false, List.of(), List.of(chunk, chunk));
    PacketRecord more =
        packet(2, 0, true, false, List.of(), List.of(new DataChunk(1, 40, new byte[60])));
    List<PacketOutcome> outcomes =
        decider.decide(List.of(twice, more), state, changes, Instant.EPOCH);
    // 40 bytes kept, not 80: the next 60 still fit the bound of 100.
    assertThat(outcomes)
        .extracting(PacketOutcome::outcome)
        .containsExactly(Outcome.FULFILLED, Outcome.FULFILLED);
    assertThat(changes.data()).hasSize(2);
    assertThat(changes.connections().values())
        .singleElement()
        .satisfies(c -> assertThat(c.dataBytes()).isEqualTo(100));
  }

  @Test
  void aDeclinedPacketIsCountedAndReportsTheStreamAsItIs() {
    LedgerState state = state(0, null);
    state.stream(connection, 1, 40, maxUint64, false);
    PacketRecord probe =
        packet(1, 10, false, false, List.of(new StreamCredit(1, 10, false)), List.of());
    PacketOutcome outcome = decider.decide(List.of(probe), state, changes, Instant.EPOCH).get(0);
    assertThat(outcome.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(outcome.streams()).containsExactly(new StreamTotals(1, 40, maxUint64));
    assertThat(changes.streams()).isEmpty();
    assertThat(changes.connections().values())
        .singleElement()
        .satisfies(c -> assertThat(c.rejected()).isEqualTo(1));
  }

  @Test
  void receiveMaxSaturatesAndNeverShrinks() {
    LedgerState.AccountState nearTop = new LedgerState.AccountState(0, maxUint64, "near-top", 0);
    assertThat(BatchDecider.receiveMax(5, nearTop, null, Instant.EPOCH)).isEqualTo(maxUint64);
    LedgerState state = state(0, 100L);
    state.stream(connection, 1, 0, 500, false); // advertised when the limit was higher
    PacketOutcome outcome =
        decider.decide(List.of(pay(1, 10)), state, changes, Instant.EPOCH).get(0);
    assertThat(outcome.streams()).containsExactly(new StreamTotals(1, 10, 500));
  }

  @Test
  void anInvoiceCompletesAtItsAmountExactly() {
    LedgerState state = invoiceState(40, true, later);
    PacketOutcome outcome = decider.decide(List.of(payInvoice(1, 60)), state, changes, now).get(0);
    assertThat(outcome.outcome()).isEqualTo(Outcome.FULFILLED);
    // Nothing left: the stream is advertised what it has.
    assertThat(outcome.streams()).containsExactly(new StreamTotals(1, 60, 60));
    assertThat(state.invoiceReceived(invoice)).isEqualTo(100);
    assertThat(changes.credits()).containsEntry(account, 60L);
    assertThat(changes.connections().values())
        .singleElement()
        .satisfies(c -> assertThat(c.invoiceId()).isEqualTo(invoice));
  }

  @Test
  void oneUnitPastTheInvoicesRemainingIsRefusedShowingTheRemaining() {
    LedgerState state = invoiceState(40, true, later);
    PacketOutcome outcome = decider.decide(List.of(payInvoice(1, 61)), state, changes, now).get(0);
    assertThat(outcome.outcome()).isEqualTo(Outcome.INVOICE_EXCEEDED);
    assertThat(outcome.streams()).containsExactly(new StreamTotals(1, 0, 60));
    assertThat(state.invoiceReceived(invoice)).isEqualTo(40);
    assertThat(changes.packets()).isEmpty();
  }

  @Test
  void aPacketWithoutMoneyPassesAClosedInvoiceAndKeepsItsConnection() {
    LedgerState state = invoiceState(0, true, now);
    PacketOutcome outcome = decider.decide(List.of(payInvoice(1, 0)), state, changes, now).get(0);
    assertThat(outcome.outcome()).isNotEqualTo(Outcome.INVOICE_CLOSED);
    assertThat(outcome.outcome().fulfils()).isTrue();
    assertThat(changes.packets()).isEmpty();
  }

  @Test
  void anInvoiceAtItsExpiryTakesNothing() {
    LedgerState state = invoiceState(0, true, now);
    assertThat(decider.decide(List.of(payInvoice(1, 10)), state, changes, now).get(0).outcome())
        .isEqualTo(Outcome.INVOICE_CLOSED);
    assertThat(state.invoiceReceived(invoice)).isZero();
    assertThat(changes.packets()).isEmpty();
  }

  @Test
  void aRetryAfterTheInvoiceCompletedIsADuplicate() {
    // Stored: the packet completed the invoice in an earlier batch.
    LedgerState state = invoiceState(100, false, later);
    state.stream(connection, 1, 60, 60, false);
    state.credited(connection, 1, 60);
    assertThat(decider.decide(List.of(payInvoice(1, 60)), state, changes, now).get(0).outcome())
        .isEqualTo(Outcome.DUPLICATE);
    assertThat(state.invoiceReceived(invoice)).isEqualTo(100);
    assertThat(changes.packets()).isEmpty();
    assertThat(changes.credits()).isEmpty();
  }

  static final long invoice = 11;
  static final Instant now = Instant.ofEpochSecond(1_000);
  static final Instant later = now.plusSeconds(60);

  /**
   * Account 7 (no limit) and its invoice of 100, {@code received} of it so far (held by the
   * connection).
   */
  static LedgerState invoiceState(long received, boolean open, Instant expiresAt) {
    LedgerState state = state(received, null);
    state.invoice(invoice, account, 100, received, open, expiresAt);
    return state;
  }

  private static PacketRecord payInvoice(long sequence, long amount) {
    return payInvoice(connection, sequence, amount);
  }

  static PacketRecord payInvoice(byte[] connection, long sequence, long amount) {
    return new PacketRecord(
        connection,
        account,
        invoice,
        null,
        sequence,
        amount,
        later,
        true,
        false,
        List.of(new StreamCredit(1, amount, false)),
        List.of());
  }

  private static LedgerState state(long received, Long limit) {
    LedgerState state = new LedgerState();
    state.account(account, received, limit);
    state.connection(connection, received, false, 0, 1);
    return state;
  }

  private static PacketRecord pay(long sequence, long amount) {
    return packet(
        sequence, amount, true, false, List.of(new StreamCredit(1, amount, false)), List.of());
  }

  private static PacketRecord packet(
      long sequence,
      long amount,
      boolean fulfill,
      boolean close,
      List<StreamCredit> streams,
      List<DataChunk> data) {
    return TestPackets.packet(connection, account, sequence, amount, fulfill, close, streams, data);
  }
}
