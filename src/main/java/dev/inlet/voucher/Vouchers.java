package dev.inlet.voucher;

import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.Sealer;
import dev.inlet.crypto.SecretHashes;
import dev.inlet.events.EventType;
import dev.inlet.ledger.postgres.Uint64;
import dev.inlet.payout.Payouts;
import dev.inlet.web.PublicIds;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Vouchers in PostgreSQL (db/V5): a voucher's money leaves its account when it is made, into the
 * voucher's own holding account (a {@code voucher} transfer of two entries); each redemption is a
 * payout from the holding account; revoke and expiry move what is left back. Every change of state
 * and its event ({@code voucher.*}, for merchants' accounts) commit together, and whatever changes
 * a voucher first locks its row, so replicas race safely. Blocking: call off the event loop.
 */
public final class Vouchers {
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final Payouts payouts;
  private final Sealer codes;

  /**
   * @param codes seals the codes, so that their owner can read them again
   */
  public Vouchers(DataSource dataSource, Payouts payouts, Sealer codes) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.payouts = payouts;
    this.codes = codes;
  }

  /**
   * A voucher as stored: its JSON ({@code inlet_voucher_json}) and its code.
   *
   * @param remaining what its holding account holds (units of its account)
   */
  public record StoredVoucher(
      long id, String publicId, String code, String state, long remaining, String json) {}

  /** What to create. {@code merchantId} null: the admin API (any account). */
  public record NewVoucher(
      Long merchantId,
      String account,
      long amount,
      Instant expiresAt,
      String note,
      String idempotencyKey,
      byte[] requestHash) {}

  /** What a create did. */
  public sealed interface Creation permits Created, UnknownAccount, Insufficient, KeyReused {}

  /** The voucher, made now or earlier with the same key and body. */
  public record Created(StoredVoucher voucher, boolean fresh) implements Creation {}

  /** No such account (for this merchant): nothing written. */
  public record UnknownAccount() implements Creation {}

  /** The account's available balance is smaller than the amount: nothing written. */
  public record Insufficient(long available) implements Creation {}

  /** The idempotency key was used with another request: nothing written. */
  public record KeyReused() implements Creation {}

  /**
   * Makes a voucher: its holding account, and the transfer of its amount out of the account's
   * available balance into it, in one transaction.
   */
  public Creation create(NewVoucher v) {
    return transaction.execute(
        status -> {
          if (v.idempotencyKey() != null) {
            Optional<Creation> earlier = byKey(v);
            if (earlier.isPresent()) {
              return earlier.get();
            }
          }
          Optional<Owner> owner = Owner.lock(jdbc, v.account(), v.merchantId());
          if (owner.isEmpty()) {
            return new UnknownAccount();
          }
          String publicId = PublicIds.vouchers.generate();
          String code = PublicIds.codes.generate();
          long holding =
              jdbc.sql(
                      "INSERT INTO accounts (name, kind, asset_code, asset_scale, merchant_id)"
                          + " SELECT '@voucher:' || ?, 'voucher', asset_code, asset_scale, merchant_id"
                          + " FROM accounts WHERE id = ? RETURNING id")
                  .params(publicId, owner.get().id())
                  .query(Long.class)
                  .single();
          if (!Moves.move(jdbc, owner.get().id(), holding, v.amount())) {
            status.setRollbackOnly();
            return new Insufficient(payouts.available(owner.get().id()));
          }
          Optional<Long> id =
              jdbc.sql(
                      "INSERT INTO vouchers (public_id, code_hash, code_sealed, account_id, holding_id,"
                          + " merchant_id, amount, note, expires_at, idempotency_key, request_hash)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          + " ON CONFLICT (coalesce(merchant_id, 0), idempotency_key)"
                          + " WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id")
                  .params(
                      publicId,
                      hash(code),
                      codes.seal(code.getBytes(StandardCharsets.US_ASCII)),
                      owner.get().id(),
                      holding,
                      v.merchantId(),
                      Uint64.toNumeric(v.amount()),
                      v.note(),
                      OffsetDateTime.ofInstant(v.expiresAt(), ZoneOffset.UTC),
                      v.idempotencyKey(),
                      v.idempotencyKey() == null ? null : v.requestHash())
                  .query(Long.class)
                  .optional();
          if (id.isEmpty()) {
            status.setRollbackOnly();
            return byKey(v).orElseThrow();
          }
          return new Created(get(id.get()), true);
        });
  }

  private Optional<Creation> byKey(NewVoucher v) {
    return jdbc.sql(
            "SELECT id, request_hash FROM vouchers"
                + " WHERE coalesce(merchant_id, 0) = coalesce(?::bigint, 0) AND idempotency_key = ?")
        .params(v.merchantId(), v.idempotencyKey())
        .query(
            (rs, n) ->
                Arrays.equals(rs.getBytes(2), v.requestHash())
                    ? (Creation) new Created(get(rs.getLong(1)), false)
                    : new KeyReused())
        .optional();
  }

  /** A voucher by internal id. */
  StoredVoucher get(long id) {
    return jdbc.sql(select + " WHERE v.id = ?").param(id).query(this::stored).single();
  }

  /** A voucher by public id: the merchant's, or any when {@code merchantId} is null. */
  public Optional<StoredVoucher> find(Long merchantId, String publicId) {
    return jdbc.sql(select + " WHERE v.public_id = ? AND (?::bigint IS NULL OR v.merchant_id = ?)")
        .params(publicId, merchantId, merchantId)
        .query(this::stored)
        .optional();
  }

  /**
   * A page of vouchers, newest first.
   *
   * @param state one state only, or null for all
   * @param before only those made before the voucher with this public id (the cursor), or null
   */
  public List<StoredVoucher> list(Long merchantId, String state, String before, int limit) {
    return jdbc.sql(
            select
                + " WHERE (?::bigint IS NULL OR v.merchant_id = ?) AND (?::text IS NULL OR v.state = ?)"
                + " AND (?::text IS NULL OR v.id < (SELECT b.id FROM vouchers b WHERE b.public_id = ?))"
                + " ORDER BY v.id DESC LIMIT ?")
        .params(merchantId, merchantId, state, state, before, before, limit)
        .query(this::stored)
        .list();
  }

  /** What a voucher's payment pointer needs. Amounts unsigned 64-bit, the account's units. */
  public record PointerTarget(
      long id,
      String state,
      long available,
      String account,
      String assetCode,
      int assetScale,
      long amount,
      long paidOut,
      String createdAt,
      String expiresAt) {

    /** The SPSP offer: a voucher is an agreement of one cycle that pays its amount once. */
    VoucherSpspHandler.Offer offer() {
      Map<String, Object> balance = new LinkedHashMap<>();
      balance.put("total", Long.toUnsignedString(paidOut));
      balance.put("interval", Long.toUnsignedString(paidOut));
      balance.put("available", Long.toUnsignedString(available));
      Map<String, Object> agreement = new LinkedHashMap<>();
      agreement.put("amount", Long.toUnsignedString(amount));
      agreement.put("start", createdAt);
      agreement.put("expiry", expiresAt);
      agreement.put("interval", null);
      agreement.put("cycles", 1);
      agreement.put("cap", true);
      agreement.put("asset", Map.of("code", assetCode, "scale", assetScale));
      Map<String, Object> pull = new LinkedHashMap<>();
      pull.put("balance", balance);
      pull.put("cycle", 1);
      pull.put("agreement", agreement);
      return new VoucherSpspHandler.Offer(
          id, state, available, account, assetCode, assetScale, pull);
    }
  }

  /** The voucher whose code this is; empty when none is. */
  public Optional<PointerTarget> byCode(String code) {
    return jdbc.sql(
            "SELECT v.id, CASE WHEN v.state = 'active' AND v.expires_at <= now() THEN 'expired'"
                + " ELSE v.state END, h.balance - h.reserved, a.name, a.asset_code, a.asset_scale,"
                + " v.amount, v.amount - v.released - h.balance, inlet_time(v.created_at),"
                + " inlet_time(v.expires_at)"
                + " FROM vouchers v JOIN accounts a ON a.id = v.account_id"
                + " JOIN accounts h ON h.id = v.holding_id WHERE v.code_hash = ?")
        .param(hash(code))
        .query(
            (rs, n) ->
                new PointerTarget(
                    rs.getLong(1),
                    rs.getString(2),
                    Uint64.fromNumeric(rs.getBigDecimal(3)),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getInt(6),
                    Uint64.fromNumeric(rs.getBigDecimal(7)),
                    Uint64.fromNumeric(rs.getBigDecimal(8)),
                    rs.getString(9),
                    rs.getString(10)))
        .optional();
  }

  /**
   * Revokes an active voucher: what its holding account does not hold for a redemption in flight
   * goes back to the account now, the rest when that redemption ends.
   *
   * @return the voucher after; empty when there is no such voucher (for this merchant)
   */
  public Optional<StoredVoucher> revoke(Long merchantId, String publicId) {
    return transaction.execute(
        status -> {
          Optional<Long> id =
              jdbc.sql(
                      "SELECT id FROM vouchers WHERE public_id = ?"
                          + " AND (?::bigint IS NULL OR merchant_id = ?) FOR UPDATE")
                  .params(publicId, merchantId, merchantId)
                  .query(Long.class)
                  .optional();
          id.ifPresent(v -> end(v, "revoked", EventType.VOUCHER_REVOKED));
          return id.map(this::get);
        });
  }

  /**
   * Ends the active vouchers whose time passed ({@code voucher.expired}), and moves back what ended
   * vouchers still hold once their redemptions ended.
   *
   * @return how many vouchers expired
   */
  public int expire() {
    List<Long> due =
        jdbc.sql(
                "SELECT id FROM vouchers WHERE state = 'active' AND expires_at <= now()"
                    + " ORDER BY expires_at LIMIT 100")
            .query(Long.class)
            .list();
    int expired = 0;
    for (long id : due) {
      Boolean done =
          transaction.execute(
              status -> {
                boolean active =
                    jdbc.sql(
                            "SELECT 1 FROM vouchers WHERE id = ? AND state = 'active'"
                                + " AND expires_at <= now() FOR UPDATE SKIP LOCKED")
                        .param(id)
                        .query(Integer.class)
                        .optional()
                        .isPresent();
                if (active) {
                  end(id, "expired", EventType.VOUCHER_EXPIRED);
                }
                return active;
              });
      expired += Boolean.TRUE.equals(done) ? 1 : 0;
    }
    List<Long> holding =
        jdbc.sql(
                "SELECT v.id FROM accounts h JOIN vouchers v ON v.holding_id = h.id"
                    + " WHERE h.kind = 'voucher' AND h.balance > 0 AND h.balance - h.reserved > 0"
                    + " AND v.state IN ('expired', 'revoked') LIMIT 100")
            .query(Long.class)
            .list();
    for (long id : holding) {
      transaction.executeWithoutResult(status -> release(lock(id)));
    }
    return expired;
  }

  /** Ends an active voucher (locked by the caller): its state, the release, its event (last). */
  private void end(long id, String state, EventType event) {
    int changed =
        jdbc.sql(
                "UPDATE vouchers SET state = ?, ended_at = now() WHERE id = ? AND state = 'active'")
            .params(state, id)
            .update();
    if (changed == 0) {
      return;
    }
    release(lock(id));
    event(id, event);
  }

  /** A voucher locked: whose money, and its holding account. */
  record Held(long id, long accountId, long holdingId) {}

  /** Locks the voucher's row, in the caller's transaction. */
  Held lock(long id) {
    return jdbc.sql("SELECT id, account_id, holding_id FROM vouchers WHERE id = ? FOR UPDATE")
        .param(id)
        .query((rs, n) -> new Held(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .single();
  }

  /** Moves what the holding account holds beyond redemptions in flight back to the account. */
  void release(Held v) {
    BigDecimal free =
        jdbc.sql("SELECT balance - reserved FROM accounts WHERE id = ? FOR NO KEY UPDATE")
            .param(v.holdingId())
            .query(BigDecimal.class)
            .single();
    if (free.signum() == 0) {
      return;
    }
    long amount = Uint64.fromNumeric(free);
    if (!Moves.move(jdbc, v.holdingId(), v.accountId(), amount)) {
      throw new IllegalStateException("voucher " + v.id() + ": its holding account changed");
    }
    jdbc.sql("UPDATE vouchers SET released = released + ? WHERE id = ?")
        .params(free, v.id())
        .update();
  }

  /**
   * Writes the voucher's event {@code type} for its merchant, if it has one (last in a
   * transaction).
   */
  void event(long id, EventType type) {
    jdbc.sql(
            "INSERT INTO events (merchant_id, type, data)"
                + " SELECT merchant_id, ?, inlet_voucher_json(v) FROM vouchers v"
                + " WHERE id = ? AND merchant_id IS NOT NULL")
        .params(type.wireName(), id)
        .update();
  }

  /** SHA-256 of a code: how codes are looked up without being stored in clear. */
  static byte[] hash(String code) {
    return SecretHashes.of(code);
  }

  private static final String select =
      "SELECT v.id, v.public_id, v.code_sealed, v.state, h.balance, inlet_voucher_json(v)::text"
          + " FROM vouchers v JOIN accounts h ON h.id = v.holding_id";

  private StoredVoucher stored(ResultSet rs, int row) throws SQLException {
    String code;
    try {
      code = new String(codes.open(rs.getBytes(3)), StandardCharsets.US_ASCII);
    } catch (DecryptionException e) {
      throw new IllegalStateException("voucher " + rs.getString(2) + ": its code does not open", e);
    }
    return new StoredVoucher(
        rs.getLong(1),
        rs.getString(2),
        code,
        rs.getString(4),
        Uint64.fromNumeric(rs.getBigDecimal(5)),
        rs.getString(6));
  }
}
