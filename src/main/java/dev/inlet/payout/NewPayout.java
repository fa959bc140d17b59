package dev.inlet.payout;

/**
 * A payout or refund to create ({@link Payouts#create}). {@code merchantId} null: the admin API
 * (any account). Amounts unsigned 64-bit in the account's smallest unit.
 */
public record NewPayout(
    Long merchantId,
    String account,
    String kind,
    String receiver,
    byte[] connectionId,
    Long invoiceId,
    long amount,
    String idempotencyKey,
    byte[] requestHash) {}
