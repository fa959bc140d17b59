package dev.inlet.merchant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Merchants and their API keys in PostgreSQL (db/V2). Blocking: call off the event loop. */
public final class Merchants {
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;

  public Merchants(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** A key just made: shown once, never again. */
  public record IssuedKey(long id, String key) {}

  /** An API key as listed: never the key itself. */
  public record KeyView(long id, Instant createdAt, Instant revokedAt) {}

  /**
   * Creates a merchant with its first API key.
   *
   * @return the merchant and its key, or empty when the name is taken
   */
  public Optional<Created> create(String name) {
    try {
      return Optional.of(
          transaction.execute(
              status -> {
                Merchant m =
                    jdbc.sql(
                            "INSERT INTO merchants (name) VALUES (?) RETURNING id, name, created_at")
                        .param(name)
                        .query(Merchants::merchant)
                        .single();
                return new Created(m, insertKey(m.id()));
              }));
    } catch (DuplicateKeyException e) {
      return Optional.empty();
    }
  }

  /** A merchant created with its first key. */
  public record Created(Merchant merchant, IssuedKey key) {}

  /** The merchant of that name. */
  public Optional<Merchant> findByName(String name) {
    return jdbc.sql("SELECT id, name, created_at FROM merchants WHERE name = ?")
        .param(name)
        .query(Merchants::merchant)
        .optional();
  }

  /** Issues another key for the merchant (rotation: the old ones work until revoked). */
  public IssuedKey issueKey(long merchantId) {
    return insertKey(merchantId);
  }

  /**
   * Revokes one of the merchant's keys: from now on it gets 401.
   *
   * @return whether the merchant had such a key not revoked yet
   */
  public boolean revokeKey(long merchantId, long keyId) {
    return jdbc.sql(
                "UPDATE api_keys SET revoked_at = now() WHERE id = ? AND merchant_id = ? "
                    + "AND revoked_at IS NULL")
            .params(keyId, merchantId)
            .update()
        == 1;
  }

  /** The merchant's keys, oldest first. */
  public List<KeyView> keys(long merchantId) {
    return jdbc.sql(
            "SELECT id, created_at, revoked_at FROM api_keys WHERE merchant_id = ? ORDER BY id")
        .param(merchantId)
        .query(
            (rs, n) ->
                new KeyView(
                    rs.getLong(1), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3))))
        .list();
  }

  /** The merchant whose key, not revoked, this is. */
  public Optional<Merchant> authenticate(String key) {
    return jdbc.sql(
            "SELECT m.id, m.name, m.created_at FROM api_keys k JOIN merchants m ON m.id = k.merchant_id "
                + "WHERE k.key_hash = ? AND k.revoked_at IS NULL")
        .param(ApiKeys.hash(key))
        .query(Merchants::merchant)
        .optional();
  }

  private IssuedKey insertKey(long merchantId) {
    String key = ApiKeys.generate();
    long id =
        jdbc.sql("INSERT INTO api_keys (merchant_id, key_hash) VALUES (?, ?) RETURNING id")
            .params(merchantId, ApiKeys.hash(key))
            .query(Long.class)
            .single();
    return new IssuedKey(id, key);
  }

  private static Merchant merchant(ResultSet rs, int row) throws SQLException {
    return new Merchant(rs.getLong(1), rs.getString(2), instant(rs.getTimestamp(3)));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
