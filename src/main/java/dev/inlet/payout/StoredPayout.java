package dev.inlet.payout;

import dev.inlet.stream.sender.AssetDetails;

/**
 * A payout as stored ({@link Payouts}): what sending it needs, and its JSON ({@code
 * inlet_payout_json}). {@code amount} unsigned 64-bit in the account's smallest unit; {@code kind}
 * payout, refund, redemption or pull; {@code state} sending, completed or failed.
 */
public record StoredPayout(
    long id,
    String publicId,
    long accountId,
    long reservation,
    String kind,
    String receiver,
    byte[] connectionId,
    long amount,
    AssetDetails asset,
    String state,
    String json) {}
