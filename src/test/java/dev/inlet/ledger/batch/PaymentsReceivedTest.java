package dev.inlet.ledger.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.TestPackets;
import dev.inlet.ledger.batch.BatchChanges.PaymentReceived;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code payment.received} events the decider renders for a batch. */
class PaymentsReceivedTest {
  static final long merchantAccount = BatchDeciderTest.account;
  static final long plainAccount = 8;
  static final long merchant = 42;
  static final long invoice = BatchDeciderTest.invoice;
  static final byte[] high = {(byte) 0xf0, 1};
  static final byte[] low = {0x01, 2};
  static final byte[] plain = {0x05, 3};
  static final byte[] rejectedOnly = {0x06, 4};

  @Test
  void oneEventPerConnectionCreditedOnAMerchantsAccountWithTheTotalsAfterTheBatch() {
    LedgerState state = new LedgerState();
    state.account(merchantAccount, 1_000, null, "shop \"one\"", merchant);
    state.account(plainAccount, 0, null);
    state.invoice(
        invoice,
        merchantAccount,
        10_000,
        300,
        true,
        Instant.now().plusSeconds(600),
        null,
        false,
        "inv_abc");
    state.connection(high, 300, false, 0, 4, "test.alice");
    state.connection(low, 700, false, 0, 2, null);
    state.connection(plain, 0, false, 0, 1, null);
    state.connection(rejectedOnly, 0, false, 0, 1, null);
    List<PacketRecord> packets =
        List.of(
            // The invoice's connection first: the events still come by connection id.
            BatchDeciderTest.payInvoice(high, 1, 20),
            BatchDeciderTest.payInvoice(high, 2, 30),
            withAddress(TestPackets.paying(low, merchantAccount, 1, 5), "test.bob"),
            TestPackets.paying(plain, plainAccount, 1, 9),
            TestPackets.packet(
                rejectedOnly,
                merchantAccount,
                1,
                4,
                false,
                false,
                List.of(new StreamCredit(1, 4, false)),
                List.of()));
    BatchChanges changes = new BatchChanges();
    new BatchDecider(100).decide(packets, state, changes, Instant.now());

    assertThat(changes.paymentsReceived())
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactly(
            new PaymentReceived(low, merchant, "shop \"one\"", null, 5, 705, "test.bob"),
            new PaymentReceived(high, merchant, "shop \"one\"", "inv_abc", 50, 350, "test.alice"));
  }

  @Test
  void aBatchWithoutMerchantMoneyHasNoEvents() {
    LedgerState state = new LedgerState();
    state.account(plainAccount, 0, null);
    state.connection(plain, 0, false, 0, 1);
    BatchChanges changes = new BatchChanges();
    new BatchDecider(100)
        .decide(
            List.of(TestPackets.paying(plain, plainAccount, 1, 9)), state, changes, Instant.now());
    assertThat(changes.credits()).containsEntry(plainAccount, 9L);
    assertThat(changes.paymentsReceived()).isEmpty();
  }

  private static PacketRecord withAddress(PacketRecord p, String address) {
    return new PacketRecord(
        p.connectionId(),
        p.accountId(),
        p.invoiceId(),
        address,
        p.sequence(),
        p.amount(),
        p.expiresAt(),
        p.fulfillable(),
        p.closeConnection(),
        p.streams(),
        p.data());
  }
}
