package dev.inlet.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.DataChunk;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchChanges.KeptData;
import dev.inlet.ledger.batch.BatchChanges.PacketCredit;
import dev.inlet.ledger.batch.BatchDecider;
import dev.inlet.ledger.batch.LedgerState;
import dev.inlet.ledger.batch.TamperedChanges;
import dev.inlet.ledger.postgres.BatchStatement.AccountTotals;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batch statement's typed inputs reach PostgreSQL unchanged, whatever bytes and characters they
 * hold, with amounts exact up to 2^64-1; the statement refuses, writing nothing, a batch whose
 * postings disagree with the decider's credits; and what the statement returns is checked against
 * the batch it was given.
 */
class BatchStatementTest {
  static final long connector = 1;
  static final long account = 2;
  static final long otherAccount = 3;
  static final String maxUint64 = "18446744073709551615";
  static EmbeddedPostgres pg;

  @BeforeAll
  static void database() throws Exception {
    pg = MigratedPostgres.start();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "INSERT INTO accounts (id, name, kind, asset_code, asset_scale) VALUES (?, 'connector', 'connector', 'USD', 2),"
                    + " (?, 'receiver', 'receiving', 'USD', 2), (?, 'other', 'receiving', 'USD', 2)")) {
      st.setLong(1, connector);
      st.setLong(2, account);
      st.setLong(3, otherAccount);
      st.executeUpdate();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @Test
  void connectionChangesArriveAsTheyWereWithOddButValidValues() throws Exception {
    // Every byte value in ids: the quote, the backslash and NUL among them.
    byte[] allBytes = new byte[256];
    for (int i = 0; i < 256; i++) {
      allBytes[i] = (byte) i;
    }
    byte[] quoteAndBackslash = {'"', '\\', ',', '(', ')', '{', '}'};
    // Changes are built by the decider: one packet per connection.
    BatchChanges batch =
        TestBatches.decide(
            List.of(
                TestBatches.packet(
                    allBytes, "test.~_-.a-b~c_d.0", -1L, List.of(new StreamCredit(1, -1L, true))),
                TestBatches.packet(quoteAndBackslash, null, 0, List.of())));
    String literal = BatchLiterals.connections(batch.connections(), batch.streams());

    List<String> rows =
        query(
            "SELECT encode(id, 'hex'), account_id, version, received::text, fulfilled, rejected,"
                + " coalesce(source_address, '<null>'), closes, data_bytes, coalesce(streams::text, '<null>')"
                + " FROM unnest(?::connection_change[])",
            literal,
            10);

    assertThat(rows)
        .containsExactly(
            hex(allBytes)
                + " 2 1 "
                + maxUint64
                + " 1 0 test.~_-.a-b~c_d.0 f 0 {\"(1,"
                + maxUint64
                + ","
                + maxUint64
                + ",t)\"}",
            hex(quoteAndBackslash) + " 2 1 0 1 0 <null> f 0 <null>");
  }

  @Test
  void anyTextSurvivesTheTwoLevelsOfQuoting() throws Exception {
    for (String text :
        List.of("", "NULL", " spaced ", "a\"b", "a\\b", "\\\\\"\"", "(x,y)", "{1,2}", "é€\t\n")) {
      StringBuilder b = new StringBuilder("{");
      PgLiterals.openRecord(b);
      PgLiterals.byteaField(b, new byte[] {1});
      b.append(",1,0,0,0,0,");
      PgLiterals.textField(b, text);
      b.append(",f,0,,,f,");
      PgLiterals.closeRecord(b);
      List<String> rows =
          query(
              "SELECT source_address FROM unnest(?::connection_change[])",
              PgLiterals.closeArray(b),
              1);
      assertThat(rows).as("literal %s", b).containsExactly(text);
    }
  }

  @Test
  void creditsAndDataArriveExactly() throws Exception {
    byte[] id = {0, '\\', '"', (byte) 0xff};
    List<PacketCredit> credits =
        List.of(new PacketCredit(id, 1, -1L, account), new PacketCredit(id, 2, 1, 3));
    assertThat(
            query(
                "SELECT encode(connection_id, 'hex'), sequence, amount::text, account_id"
                    + " FROM unnest(?::packet_credit[])",
                BatchLiterals.credits(credits),
                4))
        .containsExactly(hex(id) + " 1 " + maxUint64 + " 2", hex(id) + " 2 1 3");

    byte[] data = new byte[300];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7);
    }
    List<KeptData> kept =
        List.of(
            new KeptData(id, new DataChunk(3, 1L << 40, data)),
            new KeptData(id, new DataChunk(5, 0, new byte[0])));
    assertThat(
            query(
                "SELECT encode(connection_id, 'hex'), stream_id, \"offset\", encode(data, 'hex')"
                    + " FROM unnest(?::data_chunk[])",
                BatchLiterals.data(kept),
                4))
        .containsExactly(hex(id) + " 3 " + (1L << 40) + " " + hex(data), hex(id) + " 5 0 ");
  }

  @Test
  void anEmptyBatchBindsEmptyArrays() throws Exception {
    assertThat(BatchLiterals.connections(Map.of(), Map.of())).isEqualTo("{}");
    assertThat(
            query(
                "SELECT count(*) FROM unnest(?::packet_credit[])",
                BatchLiterals.credits(List.of()),
                1))
        .containsExactly("0");
  }

  @Test
  void everyPartOfTheStatementIsLeftOutOnlyWhenTheBatchDoesNotNeedIt() throws Exception {
    // Each of the sixteen texts is valid: PostgreSQL plans it (EXPLAIN, nothing run) with its
    // inputs.
    for (boolean created : new boolean[] {false, true}) {
      for (boolean invoices : new boolean[] {false, true}) {
        for (boolean data : new boolean[] {false, true}) {
          for (boolean events : new boolean[] {false, true}) {
            String sql = BatchSql.compose(created, invoices, data, events);
            try (Connection c = pg.getPostgresDatabase().getConnection();
                PreparedStatement st = c.prepareStatement("EXPLAIN " + sql)) {
              int params = 5 + (data ? 1 : 0) + (events ? 2 : 0);
              for (int i = 1; i <= params; i++) {
                st.setNull(i, Types.OTHER);
              }
              try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
              }
            }
            assertThat(sql.contains("INSERT INTO connections")).isEqualTo(created);
            assertThat(sql.contains("UPDATE invoices")).isEqualTo(invoices);
            assertThat(sql.contains("INSERT INTO stream_data")).isEqualTo(data);
            assertThat(sql.contains("INSERT INTO events")).isEqualTo(events);
          }
        }
      }
    }
    // Which text a batch gets: a known connection without data only the update; a new one with
    // StreamData the insert and the data too; none of them the invoices, nor events (the account
    // has no merchant).
    BatchChanges known =
        TestBatches.decide(
            List.of(
                TestBatches.packet(
                    new byte[] {1}, null, 5, List.of(new StreamCredit(1, 5, false)))));
    assertThat(BatchSql.of(known))
        .isSameAs(BatchSql.of(known))
        .doesNotContain(
            "INSERT INTO connections",
            "UPDATE invoices",
            "INSERT INTO stream_data",
            "INSERT INTO events");
    BatchChanges fresh = decideNew(new byte[] {2}, 5);
    assertThat(BatchSql.of(fresh))
        .contains("INSERT INTO connections", "INSERT INTO stream_data")
        .doesNotContain("UPDATE invoices", "INSERT INTO events");
  }

  @Test
  void creditsThatDisagreeWithThePostingsAbortTheStatementAndWriteNothing() throws Exception {
    byte[] id = {7, 7, 7};
    Map<Consumer<BatchChanges>, String> tampered = new java.util.LinkedHashMap<>();
    tampered.put(b -> TamperedChanges.credit(b, account, 31), "account 2 posted 30, expected 31");
    tampered.put(
        b -> TamperedChanges.credit(b, otherAccount, 5), "account 3 posted nothing, expected 5");
    tampered.put(
        b -> TamperedChanges.uncredit(b, account), "account 2 posted 30, expected nothing");
    String before = ledgerRows();
    for (Map.Entry<Consumer<BatchChanges>, String> t : tampered.entrySet()) {
      BatchChanges batch = decideNew(id, 30);
      t.getKey().accept(batch);
      try (Connection c = pg.getPostgresDatabase().getConnection()) {
        c.setAutoCommit(true);
        assertThatThrownBy(() -> new BatchStatement(connector).execute(c, batch))
            .isInstanceOfSatisfying(
                SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo(SqlStates.invariantViolated))
            .hasMessageContaining("inlet: ledger invariant violated: " + t.getValue());
      }
      // The statement was its own transaction: aborted, it left no packet, transfer, entry,
      // connection, stream
      // data or balance behind.
      assertThat(ledgerRows()).as(t.getValue()).isEqualTo(before);
    }

    // The same batch as decided is written: the check, not the batch, refused the others.
    try (Connection c = pg.getPostgresDatabase().getConnection()) {
      c.setAutoCommit(true);
      assertThat(new BatchStatement(connector).execute(c, decideNew(id, 30)).accounts())
          .containsExactlyInAnyOrder(
              new AccountTotals(account, 30, null, new BigDecimal(30)),
              new AccountTotals(connector, 0, null, new BigDecimal(-30)));
    }
    assertThat(ledgerRows()).isNotEqualTo(before);
    try (Connection c = pg.getPostgresDatabase().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT (SELECT count(*) FROM packets WHERE connection_id = ?),"
                    + " (SELECT sum(amount) FROM entries WHERE account_id = ?), (SELECT sum(amount) FROM entries)")) {
      st.setBytes(1, id);
      st.setLong(2, account);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
        assertThat(rs.getLong(2)).isEqualTo(30);
        assertThat(rs.getLong(3)).isZero();
      }
    }
  }

  @Test
  void theInvariantCheckRaisesItsOwnSqlState() throws Exception {
    assertThat(query("SELECT inlet_invariant(?)", null, 1)).containsExactly("t");
    assertThatThrownBy(
            () -> query("SELECT inlet_invariant(?)", "the entries sum to 1, not zero", 1))
        .isInstanceOfSatisfying(
            SQLException.class,
            e ->
                assertThat(e.getSQLState())
                    .isEqualTo(SqlStates.invariantViolated)
                    .isNotEqualTo(SqlStates.staleBatch))
        .hasMessageContaining("inlet: ledger invariant violated: the entries sum to 1, not zero");
  }

  @Test
  void accountCreditsBindAsTheirType() throws Exception {
    assertThat(
            query(
                "SELECT account_id, amount::text FROM unnest(?::account_credit[])",
                BatchLiterals.accountCredits(Map.of(account, -1L)),
                2))
        .containsExactly("2 " + maxUint64);
    assertThat(BatchLiterals.accountCredits(Map.of())).isEqualTo("{}");
  }

  /**
   * One packet of {@code amount} on a connection not in the database yet, with StreamData, decided.
   */
  private static BatchChanges decideNew(byte[] connection, long amount) {
    LedgerState state = new LedgerState();
    state.account(account, 0, null);
    state.connection(connection, 0, false, 0, 0);
    PacketRecord p =
        new PacketRecord(
            connection,
            account,
            0L,
            "test.sender",
            1,
            amount,
            Instant.now().plusSeconds(30),
            true,
            false,
            List.of(new StreamCredit(1, amount, false)),
            List.of(new DataChunk(1, 0, new byte[] {1, 2})));
    BatchChanges changes = new BatchChanges();
    new BatchDecider(100).decide(List.of(p), state, changes, Instant.EPOCH);
    assertThat(changes.data()).as("the batch keeps StreamData").hasSize(1);
    return changes;
  }

  /** Rows of every ledger table, and every account's balance and total received. */
  private static String ledgerRows() throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        java.sql.Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT count(*) FROM packets) || ' '"
                    + " || (SELECT count(*) FROM transfers) || ' ' || (SELECT count(*) FROM entries) || ' '"
                    + " || (SELECT count(*) FROM connections) || ' '"
                    + " || (SELECT count(*) FROM stream_data) || ' '"
                    + " || (SELECT string_agg(id || ':' || balance || ':' || received, ',' ORDER BY id) FROM accounts)")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Each row's columns joined by spaces. */
  private static List<String> query(String sql, String literal, int columns) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setObject(1, literal, Types.OTHER);
      List<String> rows = new java.util.ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= columns; i++) {
            row.append(i > 1 ? " " : "").append(rs.getString(i));
          }
          rows.add(row.toString());
        }
      }
      return rows;
    }
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
