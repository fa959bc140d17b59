package dev.inlet.ledger.postgres;

import dev.inlet.ledger.Account;
import dev.inlet.ledger.Accounts;
import dev.inlet.ledger.ConnectionView;
import dev.inlet.ledger.ConnectionView.StreamView;
import dev.inlet.ledger.LedgerCheck;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link Accounts} on PostgreSQL (schema in db/V1). */
public final class PostgresAccounts implements Accounts {
  /**
   * Name of the upstream connector's account: not a valid receiving name, so it never clashes with
   * one.
   */
  public static final String connectorAccountName = "@connector";

  /**
   * The account credited with what leaves through the connector (payouts, refunds): apart from
   * {@link #connectorAccountName}, so that the receiving and the sending ledger writers never wait
   * for each other's lock on one row.
   */
  public static final String connectorOutAccountName = "@connector-out";

  private static final String accountColumns =
      "id, name, asset_code, asset_scale, balance, reserved, received, receive_limit, created_at, merchant_id";

  private final JdbcClient jdbc;
  private final TransactionTemplate snapshot;

  public PostgresAccounts(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    // The check reads several tables: one snapshot, so concurrent credits cannot show as
    // differences.
    this.snapshot = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    snapshot.setReadOnly(true);
  }

  /** Creates the connector's account if missing and returns its id. */
  public long ensureConnectorAccount(String assetCode, int assetScale) {
    return ensureSystemAccount(connectorAccountName, assetCode, assetScale);
  }

  /** Creates the connector's outgoing account if missing and returns its id. */
  public long ensureConnectorOutAccount(String assetCode, int assetScale) {
    return ensureSystemAccount(connectorOutAccountName, assetCode, assetScale);
  }

  private long ensureSystemAccount(String name, String assetCode, int assetScale) {
    jdbc.sql(
            "INSERT INTO accounts (name, kind, asset_code, asset_scale) VALUES (?, 'connector', ?, ?) "
                + "ON CONFLICT (name) DO NOTHING")
        .params(name, assetCode, assetScale)
        .update();
    return jdbc.sql("SELECT id FROM accounts WHERE name = ?")
        .param(name)
        .query(Long.class)
        .single();
  }

  @Override
  public Optional<Account> create(
      String name, String assetCode, int assetScale, Long receiveLimit, Long merchantId) {
    try {
      return Optional.of(
          jdbc.sql(
                  "INSERT INTO accounts (name, kind, asset_code, asset_scale, receive_limit, merchant_id) "
                      + "VALUES (?, 'receiving', ?, ?, ?, ?) RETURNING "
                      + accountColumns)
              .params(
                  name,
                  assetCode,
                  assetScale,
                  receiveLimit == null ? null : Uint64.toNumeric(receiveLimit),
                  merchantId)
              .query(PostgresAccounts::account)
              .single());
    } catch (DuplicateKeyException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<Account> findByName(String name) {
    return jdbc.sql(
            "SELECT " + accountColumns + " FROM accounts WHERE name = ? AND kind = 'receiving'")
        .param(name)
        .query(PostgresAccounts::account)
        .optional();
  }

  @Override
  public Optional<Account> findById(long id) {
    return jdbc.sql(
            "SELECT " + accountColumns + " FROM accounts WHERE id = ? AND kind = 'receiving'")
        .param(id)
        .query(PostgresAccounts::account)
        .optional();
  }

  @Override
  public List<ConnectionView> connections(long accountId, int limit) {
    Map<String, ConnectionView> byId = new LinkedHashMap<>();
    jdbc.sql("SELECT * FROM connections WHERE account_id = ? ORDER BY opened_at DESC, id LIMIT ?")
        .params(accountId, limit)
        .query(
            rs -> {
              String id = HexFormat.of().formatHex(rs.getBytes("id"));
              byId.put(
                  id,
                  new ConnectionView(
                      id,
                      instant(rs, "opened_at"),
                      rs.getString("source_address"),
                      uint64(rs, "total_received"),
                      rs.getLong("packets_fulfilled"),
                      rs.getLong("packets_rejected"),
                      instant(rs, "last_packet_at"),
                      rs.getTimestamp("closed_at") != null,
                      new ArrayList<>()));
            });
    if (byId.isEmpty()) {
      return List.of();
    }
    jdbc.sql(
            "SELECT s.* FROM streams s JOIN (SELECT id FROM connections WHERE account_id = ? "
                + "ORDER BY opened_at DESC, id LIMIT ?) c ON c.id = s.connection_id ORDER BY s.stream_id")
        .params(accountId, limit)
        .query(
            rs -> {
              ConnectionView c = byId.get(HexFormat.of().formatHex(rs.getBytes("connection_id")));
              c.streams()
                  .add(
                      new StreamView(
                          rs.getLong("stream_id"),
                          uint64(rs, "received"),
                          uint64(rs, "receive_max"),
                          rs.getBoolean("closed")));
            });
    return byId.values().stream()
        .map(
            c ->
                new ConnectionView(
                    c.id(),
                    c.openedAt(),
                    c.sourceAddress(),
                    c.totalReceived(),
                    c.packetsFulfilled(),
                    c.packetsRejected(),
                    c.lastPacketAt(),
                    c.closed(),
                    List.copyOf(c.streams())))
        .toList();
  }

  /** Connections not closed that had a packet within {@code idle}. */
  public long openConnections(Duration idle) {
    return jdbc.sql(
            "SELECT count(*) FROM connections "
                + "WHERE closed_at IS NULL AND last_packet_at > now() - make_interval(secs => ?)")
        .param((double) idle.toSeconds())
        .query(Long.class)
        .single();
  }

  @Override
  public LedgerCheck check() {
    return snapshot.execute(status -> checkInSnapshot());
  }

  private LedgerCheck checkInSnapshot() {
    List<String> differences = new ArrayList<>();
    jdbc.sql(
            "SELECT a.name, a.balance, coalesce(sum(e.amount), 0) AS entries FROM accounts a "
                + "LEFT JOIN entries e ON e.account_id = a.id GROUP BY a.id HAVING a.balance <> coalesce(sum(e.amount), 0)")
        .query(
            rs -> {
              differences.add(
                  "account "
                      + rs.getString(1)
                      + ": balance "
                      + rs.getBigDecimal(2).toPlainString()
                      + " but its entries sum to "
                      + rs.getBigDecimal(3).toPlainString());
            });
    jdbc.sql(
            "SELECT transfer_id, sum(amount) FROM entries GROUP BY transfer_id HAVING sum(amount) <> 0 LIMIT 100")
        .query(
            rs -> {
              differences.add(
                  "transfer "
                      + rs.getLong(1)
                      + ": entries sum to "
                      + rs.getBigDecimal(2).toPlainString());
            });
    jdbc.sql(
            "SELECT t.id FROM transfers t WHERE t.account_id IS NULL "
                + "AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.transfer_id = t.id) LIMIT 100")
        .query(
            rs -> {
              differences.add("transfer " + rs.getLong(1) + " has no entries");
            });
    jdbc.sql(
            "SELECT t.id, t.amount, t.packets, coalesce(sum(p.amount), 0), count(p.transfer_id) FROM transfers t "
                + "LEFT JOIN packets p ON p.transfer_id = t.id WHERE t.kind = 'credit' GROUP BY t.id "
                + "HAVING t.amount <> coalesce(sum(p.amount), 0) OR t.packets <> count(p.transfer_id) LIMIT 100")
        .query(
            rs -> {
              differences.add(
                  "transfer "
                      + rs.getLong(1)
                      + " posts "
                      + rs.getBigDecimal(2).toPlainString()
                      + " in "
                      + rs.getLong(3)
                      + " packets, but its packets sum to "
                      + rs.getBigDecimal(4).toPlainString()
                      + " in "
                      + rs.getLong(5));
            });
    OutgoingChecks.check(jdbc, differences);
    VoucherChecks.check(jdbc, differences);
    InvoiceChecks.check(jdbc, differences);
    // Packets carry no foreign keys (db/V1): their references are checked here instead.
    jdbc.sql(
            "SELECT p.connection_id, p.sequence FROM packets p "
                + "WHERE NOT EXISTS (SELECT 1 FROM connections c WHERE c.id = p.connection_id) "
                + "OR NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = p.transfer_id) LIMIT 100")
        .query(
            rs -> {
              differences.add(
                  "packet "
                      + HexFormat.of().formatHex(rs.getBytes(1))
                      + "/"
                      + rs.getLong(2)
                      + " names no known connection or transfer");
            });
    return jdbc.sql(
            "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM transfers), "
                + "(SELECT count(*) FROM packets), count(*), coalesce(sum(amount), 0), "
                + "coalesce(sum(amount) FILTER (WHERE amount > 0), 0) FROM entries")
        .query(
            (rs, row) -> {
              BigInteger total = rs.getBigDecimal(5).toBigIntegerExact();
              if (total.signum() != 0) {
                differences.add("all entries sum to " + total + ", not 0");
              }
              return new LedgerCheck(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getLong(3),
                  rs.getLong(4),
                  total,
                  rs.getBigDecimal(6).toBigIntegerExact(),
                  List.copyOf(differences));
            })
        .single();
  }

  private static Account account(ResultSet rs, int row) throws SQLException {
    BigDecimal limit = rs.getBigDecimal("receive_limit");
    return new Account(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("asset_code"),
        rs.getInt("asset_scale"),
        uint64(rs, "balance"),
        uint64(rs, "reserved"),
        uint64(rs, "received"),
        limit == null ? null : Uint64.fromNumeric(limit),
        instant(rs, "created_at"),
        rs.getObject("merchant_id", Long.class));
  }

  private static long uint64(ResultSet rs, String column) throws SQLException {
    return Uint64.fromNumeric(rs.getBigDecimal(column));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
