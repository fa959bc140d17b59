package dev.inlet.admission;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongUnaryOperator;

/**
 * Which account each invoice pays into, for the packet gate: an invoice connection's token names
 * the invoice only, and its packets take the limits of the invoice's account. Asked on the I/O
 * thread, it never waits: an invoice not known yet is looked up in the background (one thread; the
 * ids come from tokens Inlet sealed, so they are real invoices) and its first packets take the
 * default limits meanwhile — so the invoice's payment pointer tells it ({@link #known}) as it hands
 * out credentials, and only a replica that did not answer the SPSP query looks up. An invoice never
 * changes account, so an answer is kept until evicted.
 */
public final class InvoiceAccountIds implements AutoCloseable {
  /** Invoices remembered at once. */
  static final int maxTracked = 100_000;

  private final ExecutorService lookups =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "inlet-invoice-accounts");
            t.setDaemon(true);
            return t;
          });
  private final AsyncLoadingCache<Long, Long> accounts;

  /**
   * @param lookup an invoice's account id, 0 for an unknown invoice (blocking: a database read)
   */
  InvoiceAccountIds(LongUnaryOperator lookup) {
    this.accounts =
        Caffeine.newBuilder()
            .maximumSize(maxTracked)
            .executor(lookups)
            .buildAsync(id -> lookup.applyAsLong(id));
  }

  /** Remembers that invoice {@code invoiceId} pays into account {@code accountId}. */
  public void known(long invoiceId, long accountId) {
    accounts.put(invoiceId, CompletableFuture.completedFuture(accountId));
  }

  /** Invoice {@code invoiceId}'s account id if known here, else 0 (and it is looked up). */
  long accountOf(long invoiceId) {
    CompletableFuture<Long> id = accounts.get(invoiceId);
    return id.isDone() && !id.isCompletedExceptionally() ? id.join() : 0;
  }

  @Override
  public void close() {
    lookups.shutdownNow();
  }
}
