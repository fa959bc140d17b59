package dev.inlet.invoice;

import java.time.Instant;

/**
 * A listing's filters and page ({@code GET /v1/invoices}).
 *
 * @param state only invoices in this state, or null for all
 * @param createdAfter only invoices created after this (exclusive), or null
 * @param createdBefore only invoices created before this (exclusive), or null
 * @param after public id of the last invoice of the previous page (from the cursor), or null
 * @param limit invoices per page, 1..100
 */
public record InvoiceQuery(
    String state, Instant createdAfter, Instant createdBefore, String after, int limit) {}
