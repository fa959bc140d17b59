package dev.inlet.invoice;

import dev.inlet.events.EventType;
import dev.inlet.web.PublicIds;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Invoices in PostgreSQL (db/V2 {@code invoices}), every merchant query scoped by the merchant's
 * id. An invoice's JSON is {@code inlet_invoice_json}'s; each change that makes an event writes it
 * in the same transaction, as its last write (the events table's contract). Blocking: call off the
 * event loop.
 */
public final class Invoices {
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;

  /** The store on {@code dataSource}, migrated (db/V2). */
  public Invoices(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** An invoice as stored: its internal id and {@code inlet_invoice_json} as text. */
  public record StoredInvoice(long id, String json) {}

  /** One page of a listing, newest first; {@code nextAfter} is the public id to continue after. */
  public record Page(List<StoredInvoice> items, String nextAfter) {}

  /** What a create did. */
  public sealed interface Creation permits Created, UnknownAccount, KeyReused {}

  /** The invoice: made now ({@code fresh}) or earlier by a create with the same key and body. */
  public record Created(long id, boolean fresh) implements Creation {}

  /** The merchant owns no account of that name: nothing written. */
  public record UnknownAccount() implements Creation {}

  /** The idempotency key was used with another request: nothing written. */
  public record KeyReused() implements Creation {}

  /**
   * Creates an invoice and its {@code invoice.created} event in one transaction. With an
   * idempotency key, the unique index {@code invoices_by_idempotency_key} makes concurrent creates
   * with one key wait for each other: one inserts, the others find its row.
   *
   * @param idempotencyKey the request's key, or null
   * @param requestHash SHA-256 of the request's canonical form, kept to compare retries
   */
  public Creation create(
      long merchantId, NewInvoice invoice, String idempotencyKey, byte[] requestHash) {
    return transaction.execute(
        status -> {
          Optional<Long> account =
              jdbc.sql("SELECT id FROM accounts WHERE name = ? AND merchant_id = ?")
                  .params(invoice.account(), merchantId)
                  .query(Long.class)
                  .optional();
          if (account.isEmpty()) {
            return new UnknownAccount();
          }
          Optional<Long> inserted =
              jdbc.sql(
                      "INSERT INTO invoices (public_id, account_id, merchant_id, amount, description,"
                          + " reference, metadata, expires_at, idempotency_key, request_hash)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)"
                          + " ON CONFLICT (merchant_id, idempotency_key)"
                          + " WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id")
                  .params(
                      PublicIds.invoices.generate(),
                      account.get(),
                      merchantId,
                      new BigDecimal(Long.toUnsignedString(invoice.amount())),
                      invoice.description(),
                      invoice.reference(),
                      invoice.metadata(),
                      OffsetDateTime.ofInstant(invoice.expiresAt(), ZoneOffset.UTC),
                      idempotencyKey,
                      idempotencyKey == null ? null : requestHash)
                  .query(Long.class)
                  .optional();
          if (inserted.isPresent()) {
            insertEvent(EventType.INVOICE_CREATED, inserted.get());
            return new Created(inserted.get(), true);
          }
          // The key's invoice exists (committed: the insert waited for it).
          return jdbc.sql(
                  "SELECT id, request_hash FROM invoices WHERE merchant_id = ? AND idempotency_key = ?")
              .params(merchantId, idempotencyKey)
              .query(
                  (rs, n) ->
                      Arrays.equals(rs.getBytes(2), requestHash)
                          ? (Creation) new Created(rs.getLong(1), false)
                          : new KeyReused())
              .single();
        });
  }

  /** The merchant's invoice with that public id. */
  public Optional<StoredInvoice> find(long merchantId, String publicId) {
    return jdbc.sql(
            "SELECT id, inlet_invoice_json(id)::text FROM invoices"
                + " WHERE public_id = ? AND merchant_id = ?")
        .params(publicId, merchantId)
        .query(Invoices::stored)
        .optional();
  }

  /** An invoice by its internal id (one just created or changed by this merchant). */
  public StoredInvoice get(long id) {
    return jdbc.sql("SELECT id, inlet_invoice_json(id)::text FROM invoices WHERE id = ?")
        .param(id)
        .query(Invoices::stored)
        .single();
  }

  /**
   * A page of the merchant's invoices, newest first (keyset on {@code (created_at, id)}).
   *
   * @return empty when {@code after} names no invoice of the merchant's
   */
  public Optional<Page> list(long merchantId, InvoiceQuery query) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, inlet_invoice_json(id)::text, public_id FROM invoices WHERE merchant_id = ?");
    List<Object> params = new ArrayList<>(List.of(merchantId));
    if (query.state() != null) {
      sql.append(" AND state = ?");
      params.add(query.state());
    }
    if (query.createdAfter() != null) {
      // Against the time as shown (milliseconds): after an invoice's created_at excludes it.
      sql.append(" AND date_trunc('milliseconds', created_at) > ?");
      params.add(OffsetDateTime.ofInstant(query.createdAfter(), ZoneOffset.UTC));
    }
    if (query.createdBefore() != null) {
      sql.append(" AND date_trunc('milliseconds', created_at) < ?");
      params.add(OffsetDateTime.ofInstant(query.createdBefore(), ZoneOffset.UTC));
    }
    if (query.after() != null) {
      boolean known =
          jdbc.sql("SELECT count(*) FROM invoices WHERE public_id = ? AND merchant_id = ?")
                  .params(query.after(), merchantId)
                  .query(Long.class)
                  .single()
              == 1;
      if (!known) {
        return Optional.empty();
      }
      sql.append(
          " AND (created_at, id) < (SELECT created_at, id FROM invoices WHERE public_id = ?)");
      params.add(query.after());
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    params.add(query.limit() + 1);
    List<String> ids = new ArrayList<>();
    List<StoredInvoice> rows =
        jdbc.sql(sql.toString())
            .params(params)
            .query(
                (rs, n) -> {
                  ids.add(rs.getString(3));
                  return stored(rs, n);
                })
            .list();
    if (rows.size() <= query.limit()) {
      return Optional.of(new Page(rows, null));
    }
    return Optional.of(new Page(rows.subList(0, query.limit()), ids.get(query.limit() - 1)));
  }

  /** What a cancel did. */
  public sealed interface Cancellation permits Cancelled, NotCancellable, NotFound {}

  /** Cancelled now, with its {@code invoice.cancelled} event. */
  public record Cancelled(long id) implements Cancellation {}

  /** Already completed, expired or cancelled ({@code state}): nothing written. */
  public record NotCancellable(String state) implements Cancellation {}

  /** The merchant has no such invoice. */
  public record NotFound() implements Cancellation {}

  /**
   * Cancels a pending or processing invoice and writes its {@code invoice.cancelled} event, in one
   * transaction. The row lock orders it with the ledger writer: a payment that completed it first
   * makes it not cancellable.
   */
  public Cancellation cancel(long merchantId, String publicId) {
    for (int attempt = 1; ; attempt++) {
      try {
        return cancelOnce(merchantId, publicId);
      } catch (PessimisticLockingFailureException e) {
        // Cancelling a held invoice locks its holder's row after the invoice's (db/V8), which a
        // ledger batch completing it at that moment locks the other way round: one of the two is
        // chosen to fail, and this one is tried again.
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private Cancellation cancelOnce(long merchantId, String publicId) {
    return transaction.execute(
        status -> {
          Optional<Map.Entry<Long, String>> found =
              jdbc.sql(
                      "SELECT id, state FROM invoices WHERE public_id = ? AND merchant_id = ?"
                          + " FOR UPDATE")
                  .params(publicId, merchantId)
                  .query((rs, n) -> Map.entry(rs.getLong(1), rs.getString(2)))
                  .optional();
          if (found.isEmpty()) {
            return new NotFound();
          }
          long id = found.get().getKey();
          String state = found.get().getValue();
          if (!takesPayments(state)) {
            return new NotCancellable(state);
          }
          jdbc.sql("UPDATE invoices SET state = 'cancelled', ended_at = now() WHERE id = ?")
              .param(id)
              .update();
          insertEvent(EventType.INVOICE_CANCELLED, id);
          return new Cancelled(id);
        });
  }

  /**
   * What an invoice's payment pointer serves, by public id, any merchant's.
   *
   * @param state the stored state, or {@code expired} for an open invoice past its {@code
   *     expires_at} that the expiry worker has not reached yet
   */
  public record PointerTarget(
      long id,
      String state,
      long amount,
      long received,
      long accountId,
      String account,
      String assetCode,
      int assetScale) {
    /** Whether it still takes payments. */
    public boolean open() {
      return takesPayments(state);
    }
  }

  /** Whether an invoice in {@code state} still takes payments: pending or processing. */
  public static boolean takesPayments(String state) {
    return state.equals("pending") || state.equals("processing");
  }

  /** The invoice with that public id, for its payment pointer. */
  public Optional<PointerTarget> pointer(String publicId) {
    return jdbc.sql(
            "SELECT i.id, CASE WHEN i.state IN ('pending', 'processing') AND i.expires_at <= now()"
                + " THEN 'expired' ELSE i.state END, i.amount::text, inlet_invoice_received(i)::text, a.id, a.name,"
                + " a.asset_code, a.asset_scale"
                + " FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE i.public_id = ?")
        .param(publicId)
        .query(
            (rs, n) ->
                new PointerTarget(
                    rs.getLong(1),
                    rs.getString(2),
                    Long.parseUnsignedLong(rs.getString(3)),
                    Long.parseUnsignedLong(rs.getString(4)),
                    rs.getLong(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getInt(8)))
        .optional();
  }

  /**
   * A connection that paid an invoice.
   *
   * @param connectionId the connection id, hex
   * @param openedAt RFC 3339
   * @param sourceAddress the sender's address, when it sent one
   * @param amount what it brought, decimal string
   * @param memo its StreamData in (stream, offset) order, raw bytes, or null when it sent none
   */
  public record Payment(
      String connectionId, String openedAt, String sourceAddress, String amount, byte[] memo) {}

  /** The payments of each invoice, by internal id, oldest connection first. */
  public Map<Long, List<Payment>> payments(List<Long> invoiceIds) {
    Map<Long, List<Payment>> byInvoice = new LinkedHashMap<>();
    if (invoiceIds.isEmpty()) {
      return byInvoice;
    }
    jdbc.sql(
            "SELECT c.invoice_id, encode(c.id, 'hex'), inlet_time(c.opened_at), c.source_address,"
                + " c.total_received::text,"
                + " (SELECT string_agg(d.data, ''::bytea ORDER BY d.stream_id, d.\"offset\")"
                + "  FROM stream_data d WHERE d.connection_id = c.id)"
                + " FROM connections c WHERE c.invoice_id = ANY(?) AND c.total_received > 0"
                + " ORDER BY c.opened_at, c.id")
        .param(invoiceIds.toArray(new Long[0]))
        .query(
            (ResultSet rs) -> {
              byInvoice
                  .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                  .add(
                      new Payment(
                          rs.getString(2),
                          rs.getString(3),
                          rs.getString(4),
                          rs.getString(5),
                          rs.getBytes(6)));
            });
    return byInvoice;
  }

  private void insertEvent(EventType type, long invoiceId) {
    jdbc.sql(
            "INSERT INTO events (merchant_id, type, data)"
                + " SELECT merchant_id, ?, inlet_invoice_json(id) FROM invoices WHERE id = ?")
        .params(type.wireName(), invoiceId)
        .update();
  }

  private static StoredInvoice stored(ResultSet rs, int row) throws SQLException {
    return new StoredInvoice(rs.getLong(1), rs.getString(2));
  }
}
