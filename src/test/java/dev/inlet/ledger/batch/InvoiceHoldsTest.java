package dev.inlet.ledger.batch;

import static dev.inlet.ledger.batch.BatchDeciderTest.connection;
import static dev.inlet.ledger.batch.BatchDeciderTest.invoice;
import static dev.inlet.ledger.batch.BatchDeciderTest.later;
import static dev.inlet.ledger.batch.BatchDeciderTest.now;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who holds an invoice after a decided batch (db/V8), and which rows the batch therefore writes.
 */
class InvoiceHoldsTest {
  final BatchDecider decider = new BatchDecider(100);
  final BatchChanges changes = new BatchChanges();

  @Test
  void aLonePayerTakesTheInvoicesHoldKeepsItAndASecondPayerReleasesIt() {
    LedgerState state = BatchDeciderTest.invoiceState(0, true, later);
    // First money: the payer takes the hold, what the invoice has left after it as its headroom.
    decider.decide(List.of(BatchDeciderTest.payInvoice(connection, 1, 30)), state, changes, now);
    assertThat(single(changes).held()).isFalse();
    assertThat(single(changes).headroom()).isEqualTo(70);

    // Its next batch credits its own row only, as does one that credits it nothing.
    BatchChanges held = new BatchChanges();
    decider.decide(List.of(BatchDeciderTest.payInvoice(connection, 2, 20)), state, held, now);
    assertThat(single(held).held()).isTrue();
    assertThat(single(held).headroom()).isZero();
    BatchChanges nothing = new BatchChanges();
    decider.decide(List.of(BatchDeciderTest.payInvoice(connection, 3, 0)), state, nothing, now);
    assertThat(single(nothing).held()).isTrue();

    // A second payer releases it: the holder's row is written too, at its version, crediting
    // nothing; the invoice is shared from then on, so the second payer alone takes no hold.
    byte[] second = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    state.connection(second, 0, false, 0, 1);
    BatchChanges released = new BatchChanges();
    decider.decide(List.of(BatchDeciderTest.payInvoice(second, 1, 10)), state, released, now);
    assertThat(released.connections()).hasSize(2);
    assertThat(released.connections().values())
        .allSatisfy(
            c -> {
              assertThat(c.held()).isFalse();
              assertThat(c.headroom()).isZero();
              assertThat(c.version()).isEqualTo(1);
            })
        .extracting(BatchChanges.ConnectionChange::received)
        .containsExactly(10L, 0L);
    assertThat(state.invoiceReceived(invoice)).isEqualTo(60);
    BatchChanges shared = new BatchChanges();
    decider.decide(List.of(BatchDeciderTest.payInvoice(second, 2, 10)), state, shared, now);
    assertThat(single(shared).held()).isFalse();
    assertThat(single(shared).headroom()).isZero();
  }

  @Test
  void theHolderCompletingItsInvoiceReleasesTheHold() {
    LedgerState state = BatchDeciderTest.invoiceState(0, true, later);
    decider.decide(List.of(BatchDeciderTest.payInvoice(connection, 1, 40)), state, changes, now);
    assertThat(single(changes).headroom()).isEqualTo(60);
    BatchChanges last = new BatchChanges();
    decider.decide(List.of(BatchDeciderTest.payInvoice(connection, 2, 60)), state, last, now);
    assertThat(single(last).held()).isFalse();
    assertThat(single(last).headroom()).isZero();
    assertThat(state.invoiceReceived(invoice)).isEqualTo(100);
  }

  private static BatchChanges.ConnectionChange single(BatchChanges changes) {
    assertThat(changes.connections()).hasSize(1);
    return changes.connections().values().iterator().next();
  }
}
