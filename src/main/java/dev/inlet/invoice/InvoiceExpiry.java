package dev.inlet.invoice;

import dev.inlet.events.EventType;
import dev.inlet.jobs.PeriodicJob;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expires open invoices (pending or processing) at their {@code expires_at}, with or without money
 * received, and writes one {@code invoice.expired} event each, in the same transaction. Runs on
 * every replica: rows are taken {@code FOR UPDATE SKIP LOCKED}, so two replicas never take the same
 * invoice, and none waits for an invoice the ledger writer is crediting (it is taken on a later
 * run, unless that credit completed it). At most {@link #maxPerTransaction} invoices a transaction;
 * a run repeats while transactions come back full.
 */
public final class InvoiceExpiry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InvoiceExpiry.class);

  /** Invoices one transaction expires at most: its locks are held briefly. */
  public static final int maxPerTransaction = 500;

  private static final int maxTransactionsPerRun = 20;

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private PeriodicJob job;
  private volatile boolean stopping;

  /** A worker on {@code dataSource}; it runs when {@link #start}ed or called. */
  public InvoiceExpiry(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** Runs {@link #expireDue} every {@code interval}, the first after a random part of it. */
  public synchronized void start(Duration interval) {
    if (job != null) {
      throw new IllegalStateException("already started");
    }
    job = PeriodicJob.start("inlet-invoice-expiry", interval, this::expireLogged);
  }

  /**
   * Expires the invoices due now, a transaction of at most {@link #maxPerTransaction} at a time.
   *
   * @return invoices expired
   */
  public int expireDue() {
    int total = 0;
    for (int i = 0; i < maxTransactionsPerRun && !stopping; i++) {
      int expired = transaction.execute(status -> expireBatch());
      total += expired;
      if (expired < maxPerTransaction) {
        break;
      }
    }
    return total;
  }

  private int expireBatch() {
    List<Long> ids =
        jdbc.sql(
                """
                UPDATE invoices SET state = 'expired', ended_at = now()
                WHERE id IN (
                  SELECT id FROM invoices
                  WHERE state IN ('pending', 'processing') AND expires_at <= now()
                  ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)
                AND state IN ('pending', 'processing')
                RETURNING id
                """)
            .param(maxPerTransaction)
            .query(Long.class)
            .list();
    if (!ids.isEmpty()) {
      // A separate statement: one statement's subqueries would see the rows as before its UPDATE.
      jdbc.sql(
              "INSERT INTO events (merchant_id, type, data)"
                  + " SELECT merchant_id, ?, inlet_invoice_json(id) FROM invoices"
                  + " WHERE id = ANY(?) ORDER BY expires_at, id")
          .params(EventType.INVOICE_EXPIRED.wireName(), ids.toArray(new Long[0]))
          .update();
    }
    return ids.size();
  }

  private void expireLogged() {
    int expired = expireDue();
    if (expired > 0) {
      log.info("Expired {} invoices", expired);
    }
  }

  /** Stops the schedule: no transaction starts after this, and a running one is waited for. */
  @Override
  public synchronized void close() throws InterruptedException {
    stopping = true;
    if (job != null) {
      job.close();
    }
  }
}
