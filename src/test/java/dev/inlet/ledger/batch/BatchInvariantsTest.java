package dev.inlet.ledger.batch;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.TestPackets;
import dev.inlet.ledger.batch.BatchChanges.PacketCredit;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Each rule of money a decided batch must keep, broken on purpose: the batch is refused before
 * anything is written. The decider keeps them by construction, so most cases corrupt what it
 * decided, as a bug would.
 */
class BatchInvariantsTest {
  static final long account = 7;
  static final byte[] connection = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

  final BatchDecider decider = new BatchDecider(100);
  final BatchChanges changes = new BatchChanges();
  final List<PacketRecord> packets = List.of(pay(1, 50), pay(2, 25));
  List<PacketOutcome> outcomes;

  void decide() {
    outcomes = decider.decide(packets, state(), changes, Instant.EPOCH);
  }

  @Test
  void aDecidedBatchKeepsEveryRule() {
    decide();
    assertThatCode(() -> BatchInvariants.checkDecided(packets, outcomes, changes))
        .doesNotThrowAnyException();
  }

  @Test
  void streamSharesMustSumToTheCreditedAmount() {
    PacketRecord split =
        new PacketRecord(
            connection,
            account,
            0L,
            null,
            1,
            10,
            Instant.now().plusSeconds(30),
            true,
            false,
            List.of(new StreamCredit(1, 4, false), new StreamCredit(3, 5, false)),
            List.of());
    assertThatThrownBy(() -> decider.decide(List.of(split), state(), changes, Instant.EPOCH))
        .isInstanceOf(InvariantViolation.class)
        .hasMessage("a credited packet's stream shares sum to its amount: got 9, expected 10");
  }

  @Test
  void sharesOfTwoToTheSixtyFourMinusOneAreExact() {
    PacketRecord split =
        new PacketRecord(
            connection,
            account,
            0L,
            null,
            1,
            -1L,
            Instant.now().plusSeconds(30),
            true,
            false,
            List.of(
                new StreamCredit(1, Long.MAX_VALUE, false),
                new StreamCredit(3, Long.MIN_VALUE, false)),
            List.of());
    assertThatCode(() -> decider.decide(List.of(split), state(), changes, Instant.EPOCH))
        .doesNotThrowAnyException();
  }

  @Test
  void everyPacketHasAnOutcome() {
    decide();
    assertThatThrownBy(() -> BatchInvariants.checkDecided(packets, outcomes.subList(0, 1), changes))
        .isInstanceOf(InvariantViolation.class)
        .hasMessageStartingWith("one outcome per packet");
  }

  @Test
  void aPacketFulfilledWithMoneyMustBeCredited() {
    decide();
    changes.packets.remove(1);
    assertRefused()
        .hasMessage("packets fulfilled with money are the packets credited: got 1, expected 2");
  }

  @Test
  void theCreditedPacketsMustCarryWhatWasFulfilled() {
    decide();
    creditFirstPacket(51);
    assertRefused()
        .hasMessage("the packets credited sum to the packets fulfilled: got 76, expected 75");
  }

  @Test
  void aCreditedPacketCarriesMoney() {
    decide();
    creditFirstPacket(0);
    assertRefused().hasMessageStartingWith("a credited packet carries money");
  }

  @Test
  void anAccountsCreditIsTheSumOfItsPackets() {
    decide();
    changes.credits.get(account)[0]++;
    assertRefused()
        .hasMessage("an account's credit is the sum of its packets: got 76, expected 75");
  }

  @Test
  void noAccountIsCreditedWithoutPackets() {
    decide();
    changes.credits.put(8L, new long[] {1});
    assertRefused()
        .hasMessage("accounts credited are the accounts of credited packets: got 2, expected 1");
  }

  @Test
  void aConnectionsReceivedChangeIsTheSumOfItsPackets() {
    decide();
    changes.connections.get(ByteBuffer.wrap(connection)).received--;
    assertRefused()
        .hasMessage(
            "a connection's received change is the sum of its packets: got 74, expected 75");
  }

  @Test
  void everyCreditedPacketsConnectionIsWritten() {
    decide();
    changes.connections.clear();
    assertRefused().hasMessageStartingWith("every credited packet's connection");
  }

  @Test
  void declinedPacketsMoveNoMoneyAndAreNotChecked() {
    PacketRecord declined =
        new PacketRecord(
            connection,
            account,
            0L,
            null,
            1,
            10,
            Instant.now().plusSeconds(30),
            false,
            false,
            List.of(),
            List.of());
    List<PacketOutcome> decided =
        decider.decide(List.of(declined), state(), changes, Instant.EPOCH);
    assertThatCode(() -> BatchInvariants.checkDecided(List.of(declined), decided, changes))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                BatchInvariants.checkDecided(
                    List.of(declined),
                    new ArrayList<>(List.of(PacketOutcome.of(Outcome.REJECTED))),
                    changes))
        .doesNotThrowAnyException();
  }

  /** The decided batch, as it stands, is refused. */
  private AbstractThrowableAssert<?, ? extends Throwable> assertRefused() {
    return assertThatThrownBy(() -> BatchInvariants.checkDecided(packets, outcomes, changes))
        .isInstanceOf(InvariantViolation.class);
  }

  /** Corrupts the decided batch: its first credited packet carries {@code amount}. */
  private void creditFirstPacket(long amount) {
    PacketCredit first = changes.packets.get(0);
    changes.packets.set(
        0, new PacketCredit(first.connectionId(), first.sequence(), amount, first.accountId()));
  }

  private static LedgerState state() {
    LedgerState state = new LedgerState();
    state.account(account, 0, null);
    state.connection(connection, 0, false, 0, 1);
    return state;
  }

  private static PacketRecord pay(long sequence, long amount) {
    return TestPackets.paying(connection, account, sequence, amount);
  }
}
