package dev.inlet.invoice;

import java.time.Instant;

/**
 * A create request, checked ({@link InvoiceRequests#newInvoice}).
 *
 * @param account name of an account of the merchant's (checked when stored)
 * @param amount 1..2^64-1 in the account's smallest unit, as the long holding its unsigned bits
 * @param description free text or null
 * @param reference the merchant's own reference or null
 * @param expiresAt when it stops being payable
 * @param metadata a JSON object, serialized, at most {@link InvoiceRequests#maxMetadataBytes}
 */
public record NewInvoice(
    String account,
    long amount,
    String description,
    String reference,
    Instant expiresAt,
    String metadata) {}
