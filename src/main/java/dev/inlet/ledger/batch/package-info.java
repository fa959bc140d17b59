/**
 * The ledger's batch engine, used by its PostgreSQL adapter ({@code dev.inlet.ledger.postgres})
 * alone: the state a batch of packets is decided on ({@link dev.inlet.ledger.batch.LedgerState},
 * read under row locks or kept between batches by {@link dev.inlet.ledger.batch.LedgerCache}), the
 * rules that decide each packet ({@link dev.inlet.ledger.batch.BatchDecider}), what a decided batch
 * changes ({@link dev.inlet.ledger.batch.BatchChanges}) and the rules of money checked on every
 * batch before it is written. Pure Java: no JDBC, no Spring (ArchitectureTest). Amounts are
 * unsigned 64-bit integers in longs, in the asset's smallest unit. Everyone else sees the ledger
 * through {@link dev.inlet.ledger.Ledger} and its outcomes.
 */
package dev.inlet.ledger.batch;
