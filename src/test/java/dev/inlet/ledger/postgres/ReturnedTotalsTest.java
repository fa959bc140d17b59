package dev.inlet.ledger.postgres;

import static dev.inlet.ledger.postgres.TestBatches.account;
import static dev.inlet.ledger.postgres.TestBatches.connector;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchDecider;
import dev.inlet.ledger.batch.InvariantViolation;
import dev.inlet.ledger.batch.LedgerState;
import dev.inlet.ledger.postgres.BatchStatement.AccountTotals;
import dev.inlet.ledger.postgres.BatchStatement.Totals;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the batch statement returns is checked against the batch it was given: each account credited
 * exactly the decider's credit, entries summing to zero, no account outside the batch, none past
 * its receive limit; and under locks, the database's totals are the decided ones.
 */
class ReturnedTotalsTest {
  @Test
  void returnedTotalsThatAgreeWithTheBatchPass() {
    BatchChanges batch =
        TestBatches.decide(
            List.of(
                TestBatches.packet(
                    new byte[] {1}, null, 30, List.of(new StreamCredit(1, 30, false)))));
    assertThatCode(
            () ->
                BatchStatement.checkReturned(
                    batch,
                    List.of(
                        new AccountTotals(account, 130, null, new BigDecimal(30)),
                        new AccountTotals(connector, 0, null, new BigDecimal(-30))),
                    connector))
        .doesNotThrowAnyException();
  }

  @Test
  void anAccountCreditedOtherThanItsPacketsFailsTheBatch() {
    assertReturnedTotalsFail(
        "the batch statement credited account 2 with 31, expected 30",
        new AccountTotals(account, 131, null, new BigDecimal(31)),
        new AccountTotals(connector, 0, null, new BigDecimal(-31)));
  }

  @Test
  void entriesThatDoNotSumToZeroFailTheBatch() {
    assertReturnedTotalsFail(
        "the batch statement's entries sum to 1, not zero",
        new AccountTotals(account, 30, null, new BigDecimal(30)),
        new AccountTotals(connector, 0, null, new BigDecimal(-29)));
  }

  @Test
  void anAccountOutsideTheBatchFailsIt() {
    assertReturnedTotalsFail(
        "the batch statement credited account 9 with 30, expected nothing",
        new AccountTotals(9, 30, null, new BigDecimal(30)),
        new AccountTotals(connector, 0, null, new BigDecimal(-30)));
  }

  @Test
  void aMissingAccountRowFailsTheBatch() {
    assertReturnedTotalsFail(
        "the batch statement returned 1 accounts, expected 2",
        new AccountTotals(account, 30, null, new BigDecimal(30)));
  }

  @Test
  void anAccountPastItsReceiveLimitFailsTheBatch() {
    assertReturnedTotalsFail(
        "account 2 received 130, past its receive limit 100",
        new AccountTotals(account, 130, 100L, new BigDecimal(30)),
        new AccountTotals(connector, 0, null, new BigDecimal(-30)));
  }

  @Test
  void underLocksTheDatabaseTotalIsTheDecidedTotal() {
    LedgerState state = new LedgerState();
    state.account(account, 100, null);
    BatchTransaction transaction = new BatchTransaction(connector, new BatchDecider(100));
    assertThatCode(
            () ->
                transaction.checkReceived(
                    state,
                    new Totals(
                        List.of(
                            new AccountTotals(account, 100, null, BigDecimal.ZERO),
                            new AccountTotals(connector, 0, null, BigDecimal.ZERO)),
                        List.of())))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                transaction.checkReceived(
                    state,
                    new Totals(
                        List.of(new AccountTotals(account, 101, null, BigDecimal.ONE)), List.of())))
        .isInstanceOf(InvariantViolation.class)
        .hasMessage("account 2 received 101 in the database but 100 as decided under locks");
  }

  /**
   * For a batch of one packet of 30 to {@link #account}, {@link BatchStatement#checkReturned}
   * refuses the totals {@code returned} with an {@link InvariantViolation} saying {@code message}.
   */
  private static void assertReturnedTotalsFail(String message, AccountTotals... returned) {
    BatchChanges batch =
        TestBatches.decide(List.of(TestBatches.packet(new byte[] {1}, null, 30, List.of())));
    assertThatThrownBy(() -> BatchStatement.checkReturned(batch, List.of(returned), connector))
        .isInstanceOf(InvariantViolation.class)
        .hasMessage(message);
  }
}
