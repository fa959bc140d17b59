package dev.inlet.payout;

/** What creating a payout or refund did ({@link Payouts#create}, {@link Payouts#createRefund}). */
public sealed interface PayoutCreation
    permits PayoutCreation.Created,
        PayoutCreation.UnknownAccount,
        PayoutCreation.Insufficient,
        PayoutCreation.KeyReused,
        PayoutCreation.RefundRefused {
  /** The payout, made now ({@code fresh}: to be sent) or earlier with the same key and body. */
  record Created(StoredPayout payout, boolean fresh) implements PayoutCreation {}

  /** No such account (for this merchant): nothing written. */
  record UnknownAccount() implements PayoutCreation {}

  /** The account's available balance is smaller than the amount: nothing reserved. */
  record Insufficient(long available) implements PayoutCreation {}

  /** The idempotency key was used with another request: nothing written. */
  record KeyReused() implements PayoutCreation {}

  /**
   * A refund that cannot be made, nothing written: {@code slug} {@code unknown-invoice}, {@code
   * unknown-payment}, {@code payment-required} (the invoice has several payments: name one), {@code
   * payer-unreachable} (the payer gave no address to answer on), {@code refund-in-progress} (one
   * refund at a time per payment) or {@code refund-exceeds-payment} ({@code available} is what is
   * left to refund).
   */
  record RefundRefused(String slug, String detail) implements PayoutCreation {}
}
