package dev.inlet.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of event in the outbox (db/V2 {@code events}), by their wire names. Each is written in
 * the same transaction as the change it reports; its {@code data} is an invoice as the API shows it
 * for the {@code invoice.*} kinds, and for {@code payment.received} the money one connection
 * brought to a merchant's account (or invoice) in one ledger batch — accounts without a merchant
 * have no events, as nobody could read them: {@code account}, {@code invoice} (its id, or null),
 * {@code connection_id}, {@code amount} and the connection's {@code total_received} (decimal
 * strings), {@code source_address}; for {@code payout.*} a payout or refund as the API shows it
 * (db/V4 {@code inlet_payout_json}), written when it ends; for {@code voucher.*} a voucher as the
 * API shows it (db/V5 {@code inlet_voucher_json}), with the {@code redemption} (a payout) for
 * {@code voucher.redeemed}; for {@code mandate.pulled} a mandate and the {@code pull}.
 */
public enum EventType {
  INVOICE_CREATED("invoice.created"),
  INVOICE_PROCESSING("invoice.processing"),
  INVOICE_COMPLETED("invoice.completed"),
  INVOICE_EXPIRED("invoice.expired"),
  INVOICE_CANCELLED("invoice.cancelled"),
  PAYMENT_RECEIVED("payment.received"),
  PAYOUT_COMPLETED("payout.completed"),
  PAYOUT_FAILED("payout.failed"),
  VOUCHER_REDEEMED("voucher.redeemed"),
  VOUCHER_EXPIRED("voucher.expired"),
  VOUCHER_REVOKED("voucher.revoked"),
  MANDATE_PULLED("mandate.pulled");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name in events and webhook subscriptions, e.g. {@code invoice.completed}. */
  public String wireName() {
    return wireName;
  }

  /** The kind with that wire name. */
  public static Optional<EventType> of(String wireName) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
  }
}
