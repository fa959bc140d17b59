package dev.inlet.payout;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.events.EventType;
import dev.inlet.ledger.postgres.Reservations;
import dev.inlet.ledger.postgres.Uint64;
import dev.inlet.stream.sender.AssetDetails;
import dev.inlet.web.PublicIds;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Payouts and refunds in PostgreSQL (db/V4 {@code payouts}): each spends one reservation, made in
 * the same transaction as its row, and ends in the same transaction as its reservation's release
 * and its event ({@code payout.completed} / {@code payout.failed}, the events table's contract:
 * last). A payout's JSON is {@code inlet_payout_json}'s. Blocking: call off the event loop.
 */
public final class Payouts {
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final Reservations reservations;
  private final Map<String, EndHook> endHooks = new ConcurrentHashMap<>();

  public Payouts(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.reservations = new Reservations(jdbc);
  }

  /**
   * Creates a payout and reserves its amount in one transaction; nothing when the available balance
   * is smaller. With an idempotency key, a retry with the same body returns the first payout, and
   * one with another body {@link PayoutCreation.KeyReused}.
   */
  public PayoutCreation create(NewPayout p) {
    return transaction.execute(status -> createIn(status, p));
  }

  private PayoutCreation createIn(TransactionStatus status, NewPayout p) {
    if (p.idempotencyKey() != null) {
      Optional<PayoutCreation> earlier = byKey(p);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    Optional<Long> account =
        jdbc.sql(
                "SELECT id FROM accounts WHERE name = ? AND kind = 'receiving'"
                    + " AND (?::bigint IS NULL OR merchant_id = ?) FOR NO KEY UPDATE")
            .params(p.account(), p.merchantId(), p.merchantId())
            .query(Long.class)
            .optional();
    if (account.isEmpty()) {
      return new PayoutCreation.UnknownAccount();
    }
    Long streamId = null;
    if (p.connectionId() != null) {
      Optional<PayoutCreation.RefundRefused> refused =
          Refunds.check(jdbc, p.connectionId(), p.amount());
      if (refused.isPresent()) {
        return refused.get();
      }
      streamId = Refunds.nextStreamId(jdbc, p.connectionId());
    }
    Optional<Long> reservation = reservations.reserve(account.get(), p.amount(), p.kind());
    if (reservation.isEmpty()) {
      status.setRollbackOnly();
      return new PayoutCreation.Insufficient(available(account.get()));
    }
    Optional<Long> id =
        jdbc.sql(
                "INSERT INTO payouts (public_id, kind, account_id, merchant_id, transfer_id, receiver,"
                    + " connection_id, invoice_id, stream_id, amount, idempotency_key, request_hash)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (coalesce(merchant_id, 0), idempotency_key)"
                    + " WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id")
            .params(
                PublicIds.payouts.generate(),
                p.kind(),
                account.get(),
                p.merchantId(),
                reservation.get(),
                p.receiver(),
                p.connectionId(),
                p.invoiceId(),
                streamId,
                Uint64.toNumeric(p.amount()),
                p.idempotencyKey(),
                p.idempotencyKey() == null ? null : p.requestHash())
            .query(Long.class)
            .optional();
    if (id.isEmpty()) {
      // A concurrent create with the same key won: its row, not this reservation.
      status.setRollbackOnly();
      return byKey(p).orElseThrow();
    }
    return new PayoutCreation.Created(get(id.get()), true);
  }

  /**
   * Creates a refund of one payment of the merchant's invoice: that payment (its connection) is
   * named by {@code paymentHex}, or is the invoice's only one. See {@link Refunds} for its rules.
   */
  public PayoutCreation createRefund(
      long merchantId,
      String invoicePublicId,
      String paymentHex,
      long amount,
      String idempotencyKey,
      byte[] requestHash) {
    return transaction.execute(
        status -> {
          record Invoice(long id, String account) {}
          Optional<Invoice> invoice =
              jdbc.sql(
                      "SELECT i.id, a.name FROM invoices i JOIN accounts a ON a.id = i.account_id"
                          + " WHERE i.public_id = ? AND i.merchant_id = ?")
                  .params(invoicePublicId, merchantId)
                  .query((rs, n) -> new Invoice(rs.getLong(1), rs.getString(2)))
                  .optional();
          if (invoice.isEmpty()) {
            return new PayoutCreation.RefundRefused("unknown-invoice", "no such invoice");
          }
          Optional<byte[]> payment = Refunds.payment(jdbc, invoice.get().id(), paymentHex);
          if (payment.isEmpty()) {
            return paymentHex == null
                ? new PayoutCreation.RefundRefused(
                    "payment-required",
                    "the invoice has no payment or several: name one in \"payment\"")
                : new PayoutCreation.RefundRefused(
                    "unknown-payment", "the invoice has no such payment");
          }
          return createIn(
              status,
              new NewPayout(
                  merchantId,
                  invoice.get().account(),
                  "refund",
                  null,
                  payment.get(),
                  invoice.get().id(),
                  amount,
                  idempotencyKey,
                  requestHash));
        });
  }

  private Optional<PayoutCreation> byKey(NewPayout p) {
    return jdbc.sql(
            "SELECT id, request_hash FROM payouts"
                + " WHERE coalesce(merchant_id, 0) = coalesce(?::bigint, 0) AND idempotency_key = ?")
        .params(p.merchantId(), p.idempotencyKey())
        .query(
            (rs, n) ->
                Arrays.equals(rs.getBytes(2), p.requestHash())
                    ? (PayoutCreation) new PayoutCreation.Created(get(rs.getLong(1)), false)
                    : new PayoutCreation.KeyReused())
        .optional();
  }

  /**
   * A payment over a connection the client opened to one of Inlet's paying pointers (a voucher's
   * redemption, a mandate's pull): paid to {@code destination} on the client's stream, from Inlet's
   * sequence {@code firstSequence} on.
   *
   * @param kind {@code redemption} (with {@code voucherId}) or {@code pull} (with {@code mandateId}
   *     and {@code cycle})
   * @param accountId the account it is reserved from
   */
  public record ConnectionPayout(
      String kind,
      long accountId,
      Long merchantId,
      byte[] connectionId,
      String destination,
      long streamId,
      long firstSequence,
      long amount,
      Long voucherId,
      Long mandateId,
      Integer cycle) {}

  /**
   * Creates a payout over the client's connection and reserves its amount, in the caller's
   * transaction (which must exist: the caller checked its rules under a lock in it). Records the
   * connection (its row, with the client's address) if the ledger has none.
   *
   * @return the payout to {@link PayoutService#start}; empty when the available balance is smaller
   *     (nothing written)
   */
  public Optional<StoredPayout> createOnConnection(ConnectionPayout p) {
    Optional<Long> reservation = reservations.reserve(p.accountId(), p.amount(), p.kind());
    if (reservation.isEmpty()) {
      return Optional.empty();
    }
    // No last packet: the pruner of unpaid connections leaves it alone (its payouts refer to it).
    jdbc.sql(
            "INSERT INTO connections (id, account_id, source_address) VALUES (?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING")
        .params(p.connectionId(), p.accountId(), p.destination())
        .update();
    long id =
        jdbc.sql(
                "INSERT INTO payouts (public_id, kind, account_id, merchant_id, transfer_id,"
                    + " connection_id, destination, stream_id, first_sequence, amount, voucher_id,"
                    + " mandate_id, cycle) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
            .params(
                PublicIds.payouts.generate(),
                p.kind(),
                p.accountId(),
                p.merchantId(),
                reservation.get(),
                p.connectionId(),
                p.destination(),
                p.streamId(),
                p.firstSequence(),
                Uint64.toNumeric(p.amount()),
                p.voucherId(),
                p.mandateId(),
                p.cycle())
            .query(Long.class)
            .single();
    return Optional.of(get(id));
  }

  /**
   * What else happens, in the ending transaction, when a payout of some kind ends: after its state
   * is written and in place of the {@code payout.*} event (the hook writes its own events, last).
   */
  @FunctionalInterface
  public interface EndHook {
    void ended(JdbcClient jdbc, StoredPayout payout, boolean completed);
  }

  /** Registers what ends payouts of {@code kind} ({@code redemption}, {@code pull}). */
  public void onEnd(String kind, EndHook hook) {
    endHooks.put(kind, hook);
  }

  /** The first STREAM sequence an ended payout did not use; 0 when unknown or still sending. */
  public long nextSequence(long id) {
    return jdbc.sql("SELECT coalesce(next_sequence, 0) FROM payouts WHERE id = ?")
        .param(id)
        .query(Long.class)
        .single();
  }

  /** The account's available balance: balance − reserved. */
  public long available(long accountId) {
    return jdbc.sql("SELECT balance - reserved FROM accounts WHERE id = ?")
        .param(accountId)
        .query((rs, n) -> Uint64.fromNumeric(rs.getBigDecimal(1)))
        .single();
  }

  /** A payout by internal id. */
  public StoredPayout get(long id) {
    return jdbc.sql(select + " WHERE p.id = ?").param(id).query(Payouts::stored).single();
  }

  /** A payout by public id: the merchant's, or any when {@code merchantId} is null. */
  public Optional<StoredPayout> find(Long merchantId, String publicId) {
    return jdbc.sql(select + " WHERE p.public_id = ? AND (?::bigint IS NULL OR p.merchant_id = ?)")
        .params(publicId, merchantId, merchantId)
        .query(Payouts::stored)
        .optional();
  }

  /**
   * Records the receiver's ILP address and the connection's shared secret (sealed) once SPSP gave
   * them: what a later settlement of in-doubt packets asks the receiver with.
   */
  public void destination(long id, String address, byte[] sealedSecret) {
    jdbc.sql("UPDATE payouts SET destination = ?, shared_secret = ? WHERE id = ?")
        .params(address, sealedSecret, id)
        .update();
  }

  /**
   * Ends a payout: releases its reservation's unspent money, sets its state, and writes its event,
   * in one transaction. {@code completed} only when all of it was sent and nothing is in doubt.
   *
   * @param error null when the sender completed; else a stable slug, ': ' and a detail
   * @param nextSequence the first STREAM sequence the sender did not use, 0 when unknown
   * @param receipt the last STREAM receipt the receiver sent (RFC 0039), or null
   * @return the payout after the end
   */
  public StoredPayout end(long id, String error, long nextSequence, byte[] receipt) {
    return transaction.execute(
        status -> {
          StoredPayout p =
              jdbc.sql(select + " WHERE p.id = ? FOR UPDATE OF p")
                  .param(id)
                  .query(Payouts::stored)
                  .single();
          if (!p.state().equals("sending")) {
            return p;
          }
          Reservations.Ended r = reservations.end(p.reservation()).orElseThrow();
          String shortfall = shortfall(r.held(), r.posted(), p.amount());
          boolean completed = error == null && shortfall == null;
          String why = completed ? null : error != null ? error : shortfall;
          jdbc.sql(
                  "UPDATE payouts SET state = ?, error = ?, ended_at = now(), lease_until = NULL,"
                      + " next_sequence = nullif(?, 0), receipt = ? WHERE id = ?")
              .params(completed ? "completed" : "failed", why, nextSequence, receipt, id)
              .update();
          EndHook hook = endHooks.get(p.kind());
          if (hook != null) {
            hook.ended(jdbc, get(id), completed);
            return get(id);
          }
          jdbc.sql(
                  "INSERT INTO events (merchant_id, type, data)"
                      + " SELECT a.merchant_id, ?, inlet_payout_json(p) FROM payouts p"
                      + " JOIN accounts a ON a.id = p.account_id"
                      + " WHERE p.id = ? AND a.merchant_id IS NOT NULL")
              .params(
                  (completed ? EventType.PAYOUT_COMPLETED : EventType.PAYOUT_FAILED).wireName(), id)
              .update();
          return get(id);
        });
  }

  /**
   * Why a payout that ended is not complete: money in doubt, or less sent than its amount; null
   * when all of it was sent.
   */
  static String shortfall(long held, long posted, long amount) {
    if (held != 0) {
      return "in-doubt: " + Long.toUnsignedString(held) + " may have been sent";
    }
    if (posted != amount) {
      return "incomplete: sent "
          + Long.toUnsignedString(posted)
          + " of "
          + Long.toUnsignedString(amount);
    }
    return null;
  }

  /**
   * Where a payment over an existing connection goes (a refund, a redemption, a pull): the peer's
   * address there, the stream, and Inlet's first sequence.
   */
  public record ConnectionTarget(IlpAddress peer, long streamId, long firstSequence) {}

  /**
   * A payment's target on its connection: the peer's address (a refund's: the source address of the
   * connection that paid), the stream chosen for it, and the first STREAM sequence — the one
   * recorded at its creation, or the one after every earlier refund's on that connection (Inlet's
   * own sequence numbers there, RFC 0029 §3.2).
   */
  public ConnectionTarget connectionTarget(long id) {
    return jdbc.sql(
            "SELECT coalesce(p.destination, c.source_address), p.stream_id, coalesce(p.first_sequence,"
                + " (SELECT max(r.next_sequence) FROM payouts r"
                + " WHERE r.connection_id = p.connection_id AND r.id < p.id), 1)"
                + " FROM payouts p JOIN connections c ON c.id = p.connection_id WHERE p.id = ?")
        .param(id)
        .query(
            (rs, n) ->
                new ConnectionTarget(IlpAddress.of(rs.getString(1)), rs.getLong(2), rs.getLong(3)))
        .single();
  }

  private static final String select =
      "SELECT p.id, p.public_id, p.account_id, p.transfer_id, p.kind, p.receiver, p.connection_id,"
          + " p.amount, a.asset_code, a.asset_scale, p.state, inlet_payout_json(p)::text"
          + " FROM payouts p JOIN accounts a ON a.id = p.account_id";

  private static StoredPayout stored(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new StoredPayout(
        rs.getLong(1),
        rs.getString(2),
        rs.getLong(3),
        rs.getLong(4),
        rs.getString(5),
        rs.getString(6),
        rs.getBytes(7),
        Uint64.fromNumeric(rs.getBigDecimal(8)),
        new AssetDetails(rs.getString(9), rs.getInt(10)),
        rs.getString(11),
        rs.getString(12));
  }
}
