package dev.inlet.voucher;

import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.Sealer;
import dev.inlet.ledger.postgres.Uint64;
import dev.inlet.payout.Payouts;
import dev.inlet.web.PublicIds;
import dev.inlet.web.Times;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pull-payment mandates in PostgreSQL (db/V5, RFC 0036 agreements): a service holding the mandate's
 * pointer pulls from the account up to {@code amount} per interval. What a cycle pulled counts
 * every pull of it with what it reserved less what it released (so money in flight or in doubt
 * counts), and a pull is decided under the mandate's row lock, one at a time, so no two replicas
 * pull past the budget. With {@code cap} false, what earlier cycles left unpulled adds to the
 * current one. Nothing is reserved between pulls: a pull takes at most the account's available
 * balance. Blocking: call off the event loop.
 */
public final class Mandates {
  private static final BigInteger maxUint64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final Payouts payouts;
  private final Sealer codes;
  private final Clock clock;

  /**
   * @param codes seals the codes, so that their owner can read them again
   * @param clock decides the current interval
   */
  public Mandates(DataSource dataSource, Payouts payouts, Sealer codes, Clock clock) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.payouts = payouts;
    this.codes = codes;
    this.clock = clock;
  }

  /** A mandate as stored. {@code cycles} and {@code expiresAt} null when not limited. */
  public record Mandate(
      long id,
      String publicId,
      String code,
      long accountId,
      String account,
      Long merchantId,
      String state,
      long amount,
      Interval interval,
      Integer cycles,
      boolean cap,
      Instant start,
      Instant expiresAt,
      String assetCode,
      int assetScale,
      String note,
      Instant createdAt,
      Instant endedAt) {

    /** The cycle {@code at} falls in (1 for the first), 0 before the start. */
    long cycleAt(Instant at) {
      return interval.cycleAt(start, at);
    }

    /** Whether nothing more may be pulled from {@code at} on: revoked, or past its end. */
    boolean over(Instant at) {
      return !state.equals("active")
          || (expiresAt != null && !at.isBefore(expiresAt))
          || (cycles != null && cycleAt(at) > cycles);
    }
  }

  /** A mandate and what was pulled per cycle. */
  public record View(Mandate mandate, Map<Long, Long> pulledByCycle, long available, long cycle) {}

  /** What to create. {@code merchantId} null: the admin API. */
  public record NewMandate(
      Long merchantId,
      VoucherRequests.MandateBody body,
      String idempotencyKey,
      byte[] requestHash) {}

  /** What a create did: the mandate (and whether it is new), or why not. */
  public record Creation(Optional<View> view, boolean fresh, String refusal) {}

  /** Creates a mandate; a retry with the same key and body returns the first one. */
  public Creation create(NewMandate m) {
    return transaction.execute(
        status -> {
          if (m.idempotencyKey() != null) {
            Optional<Creation> earlier = byKey(m);
            if (earlier.isPresent()) {
              return earlier.get();
            }
          }
          Optional<Owner> owner = Owner.lock(jdbc, m.body().account(), m.merchantId());
          if (owner.isEmpty()) {
            return new Creation(Optional.empty(), false, "unknown-account");
          }
          String code = PublicIds.codes.generate();
          VoucherRequests.MandateBody b = m.body();
          Optional<Long> id =
              jdbc.sql(
                      "INSERT INTO mandates (public_id, code_hash, code_sealed, account_id, merchant_id,"
                          + " amount, interval, cycles, cap, start, expires_at, ends_at, note,"
                          + " idempotency_key, request_hash)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          + " ON CONFLICT (coalesce(merchant_id, 0), idempotency_key)"
                          + " WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id")
                  .params(
                      PublicIds.mandates.generate(),
                      Vouchers.hash(code),
                      codes.seal(code.getBytes(StandardCharsets.US_ASCII)),
                      owner.get().id(),
                      m.merchantId(),
                      Uint64.toNumeric(b.amount()),
                      b.interval().text(),
                      b.cycles(),
                      b.cap(),
                      utc(b.start()),
                      b.expiresAt() == null ? null : utc(b.expiresAt()),
                      endsAt(b) == null ? null : utc(endsAt(b)),
                      b.note(),
                      m.idempotencyKey(),
                      m.idempotencyKey() == null ? null : m.requestHash())
                  .query(Long.class)
                  .optional();
          if (id.isEmpty()) {
            status.setRollbackOnly();
            return byKey(m).orElseThrow();
          }
          return new Creation(Optional.of(view(get(id.get()))), true, null);
        });
  }

  private Optional<Creation> byKey(NewMandate m) {
    return jdbc.sql(
            "SELECT id, request_hash FROM mandates"
                + " WHERE coalesce(merchant_id, 0) = coalesce(?::bigint, 0) AND idempotency_key = ?")
        .params(m.merchantId(), m.idempotencyKey())
        .query(
            (rs, n) ->
                Arrays.equals(rs.getBytes(2), m.requestHash())
                    ? new Creation(Optional.of(view(get(rs.getLong(1)))), false, null)
                    : new Creation(Optional.empty(), false, "idempotency-key-reused"))
        .optional();
  }

  /** A mandate by public id: the merchant's, or any when {@code merchantId} is null. */
  public Optional<View> find(Long merchantId, String publicId) {
    return jdbc.sql(select + " WHERE m.public_id = ? AND (?::bigint IS NULL OR m.merchant_id = ?)")
        .params(publicId, merchantId, merchantId)
        .query(this::stored)
        .optional()
        .map(this::view);
  }

  /** Revokes a mandate: no pull starts from now on, and a pull being sent stops. */
  public Optional<View> revoke(Long merchantId, String publicId) {
    return transaction.execute(
        status -> {
          jdbc.sql(
                  "UPDATE mandates SET state = 'revoked', ended_at = now() WHERE public_id = ?"
                      + " AND (?::bigint IS NULL OR merchant_id = ?) AND state = 'active'")
              .params(publicId, merchantId, merchantId)
              .update();
          return find(merchantId, publicId);
        });
  }

  /** When pulls stop: the earlier of its expiry and the end of its last cycle; null: never. */
  private static Instant endsAt(VoucherRequests.MandateBody b) {
    Instant last = b.cycles() == null ? null : b.interval().cycleStart(b.start(), b.cycles() + 1L);
    if (last == null || (b.expiresAt() != null && b.expiresAt().isBefore(last))) {
      return b.expiresAt();
    }
    return last;
  }

  /** Ends the active mandates past their end; how many. */
  public int expire() {
    return jdbc.sql(
            "UPDATE mandates SET state = 'expired', ended_at = now()"
                + " WHERE state = 'active' AND ends_at <= now()")
        .update();
  }

  /** The SPSP offer of the mandate whose code this is. */
  Optional<VoucherSpspHandler.Offer> offer(String code) {
    Optional<Mandate> found =
        jdbc.sql(select + " WHERE m.code_hash = ?")
            .param(Vouchers.hash(code))
            .query(this::stored)
            .optional();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    View v = view(found.get());
    Mandate m = v.mandate();
    String state = m.state().equals("active") && m.over(clock.instant()) ? "expired" : m.state();
    Map<String, Object> balance = new LinkedHashMap<>();
    balance.put("total", Long.toUnsignedString(total(v.pulledByCycle())));
    balance.put("interval", Long.toUnsignedString(v.pulledByCycle().getOrDefault(v.cycle(), 0L)));
    balance.put("available", Long.toUnsignedString(v.available()));
    Map<String, Object> pull = new LinkedHashMap<>();
    pull.put("balance", balance);
    pull.put("cycle", v.cycle());
    pull.put("agreement", agreement(m));
    return Optional.of(
        new VoucherSpspHandler.Offer(
            m.id(), state, v.available(), m.account(), m.assetCode(), m.assetScale(), pull));
  }

  /** RFC 0036's agreement object. */
  static Map<String, Object> agreement(Mandate m) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("amount", Long.toUnsignedString(m.amount()));
    a.put("start", Times.format(m.start()));
    a.put("expiry", Times.format(m.expiresAt()));
    a.put("interval", m.interval().text());
    a.put("cycles", m.cycles());
    a.put("cap", m.cap());
    a.put("asset", Map.of("code", m.assetCode(), "scale", m.assetScale()));
    return a;
  }

  /** Locks the mandate's row, in the caller's transaction; empty when there is none. */
  Optional<Mandate> lock(long id) {
    return jdbc.sql(select + " WHERE m.id = ? FOR UPDATE OF m")
        .param(id)
        .query(this::stored)
        .optional();
  }

  private Mandate get(long id) {
    return jdbc.sql(select + " WHERE m.id = ?").param(id).query(this::stored).single();
  }

  /** The mandate with its totals per cycle and what may be pulled now. */
  View view(Mandate m) {
    Map<Long, Long> pulled = new LinkedHashMap<>();
    jdbc.sql(
            "SELECT p.cycle, sum(t.amount - t.released) FROM payouts p"
                + " JOIN transfers t ON t.id = p.transfer_id WHERE p.mandate_id = ?"
                + " GROUP BY p.cycle ORDER BY p.cycle")
        .param(m.id())
        .query(
            rs -> {
              pulled.put(rs.getLong(1), Uint64.fromNumeric(rs.getBigDecimal(2)));
            });
    Instant now = clock.instant();
    long cycle = m.cycleAt(now);
    long available = 0;
    if (!m.over(now) && cycle > 0) {
      BigInteger amount = unsigned(m.amount());
      BigInteger budget = m.cap() ? amount : amount.multiply(BigInteger.valueOf(cycle));
      BigInteger used = unsigned(m.cap() ? pulled.getOrDefault(cycle, 0L) : total(pulled));
      BigInteger left = budget.subtract(used);
      available = left.signum() <= 0 ? 0 : left.min(maxUint64).longValue();
    }
    return new View(m, pulled, available, cycle);
  }

  private static long total(Map<Long, Long> pulled) {
    BigInteger sum = BigInteger.ZERO;
    for (long p : pulled.values()) {
      sum = sum.add(unsigned(p));
    }
    return sum.min(maxUint64).longValue();
  }

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  private static final String select =
      "SELECT m.id, m.public_id, m.code_sealed, m.account_id, a.name, m.merchant_id, m.state,"
          + " m.amount, m.interval, m.cycles, m.cap, m.start, m.expires_at, a.asset_code,"
          + " a.asset_scale, m.note, m.created_at, m.ended_at"
          + " FROM mandates m JOIN accounts a ON a.id = m.account_id";

  private Mandate stored(ResultSet rs, int row) throws SQLException {
    String code;
    try {
      code = new String(codes.open(rs.getBytes(3)), StandardCharsets.US_ASCII);
    } catch (DecryptionException e) {
      throw new IllegalStateException("mandate " + rs.getString(2) + ": its code does not open", e);
    }
    return new Mandate(
        rs.getLong(1),
        rs.getString(2),
        code,
        rs.getLong(4),
        rs.getString(5),
        (Long) rs.getObject(6),
        rs.getString(7),
        Uint64.fromNumeric(rs.getBigDecimal(8)),
        Interval.parse(rs.getString(9)),
        (Integer) rs.getObject(10),
        rs.getBoolean(11),
        instant(rs.getTimestamp(12)),
        instant(rs.getTimestamp(13)),
        rs.getString(14),
        rs.getInt(15),
        rs.getString(16),
        instant(rs.getTimestamp(17)),
        instant(rs.getTimestamp(18)));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static BigInteger unsigned(long amount) {
    return new BigInteger(Long.toUnsignedString(amount));
  }
}
