package dev.inlet.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * db/V9: the single-column rules of the tables every ledger batch writes are domains, which
 * PostgreSQL keeps parsed, instead of table CHECK constraints, which it parses again on every
 * statement. The rules still refuse what they refused; the tables keep only the rules that span
 * columns.
 */
class BatchColumnDomainsTest {
  static EmbeddedPostgres pg;

  @BeforeAll
  static void database() throws Exception {
    pg = MigratedPostgres.start();
    sql(
        "INSERT INTO accounts (id, name, kind, asset_code, asset_scale) VALUES"
            + " (1, 'connector', 'connector', 'USD', 2), (2, 'shop', 'receiving', 'USD', 2)",
        "INSERT INTO transfers (id, amount, packets) VALUES (1, 5, 1)");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @Test
  void theBatchTablesKeepOnlyTheRulesThatSpanColumns() throws Exception {
    List<String> checks = new ArrayList<>();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT conrelid::regclass || '.' || conname FROM pg_constraint WHERE contype = 'c'"
                    + " AND conrelid::regclass::text IN ('accounts', 'transfers', 'entries', 'packets')"
                    + " ORDER BY 1")) {
      while (rs.next()) {
        checks.add(rs.getString(1));
      }
    }
    // Each is parsed again on every batch: a new one belongs in a domain unless it spans columns
    // (or is on a uint64 column, which a domain of its own would have rewritten).
    assertThat(checks)
        .containsExactly(
            "accounts.accounts_asset_scale_check",
            "accounts.accounts_available",
            "packets.packets_amount_check",
            "transfers.transfers_amount_check",
            "transfers.transfers_packets_check",
            "transfers.transfers_reservation");
  }

  @Test
  void theMigrationRewritesNoTableAndKeepsTheRows() throws Exception {
    try (EmbeddedPostgres before = EmbeddedPostgres.builder().start()) {
      Flyway.configure()
          .dataSource(before.getPostgresDatabase())
          .locations("classpath:db/migration")
          .target("8")
          .load()
          .migrate();
      String files =
          "SELECT string_agg(relname || ':' || relfilenode, ',' ORDER BY relname) FROM pg_class"
              + " WHERE relname IN ('accounts', 'transfers', 'entries', 'packets')";
      try (Connection c = before.getPostgresDatabase().getConnection();
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO accounts (id, name, kind, asset_code, asset_scale) VALUES"
                + " (1, 'connector', 'connector', 'USD', 2), (2, 'shop', 'receiving', 'USD', 2)");
        st.execute(
            "INSERT INTO transfers (id, amount, packets) VALUES (1, 18446744073709551615, 1)");
        st.execute(
            "INSERT INTO entries (transfer_id, account_id, amount) VALUES (1, 2, 7), (1, 1, -7)");
        st.execute(
            "INSERT INTO packets (connection_id, sequence, amount, transfer_id)"
                + " VALUES ('\\x01', 1, 7, 1)");
        String unchanged = value(st, files);
        Flyway.configure()
            .dataSource(before.getPostgresDatabase())
            .locations("classpath:db/migration")
            .load()
            .migrate();
        // A rewrite would give each table a new file: on a large ledger, minutes under a lock.
        assertThat(value(st, files)).isEqualTo(unchanged);
        assertThat(value(st, "SELECT amount::text FROM transfers"))
            .isEqualTo("18446744073709551615");
        assertThat(value(st, "SELECT sum(amount)::text FROM entries")).isEqualTo("0");
      }
    }
  }

  @Test
  void creditsOfNothingOrPastTheUnsigned64BitRangeAreRefused() {
    assertRefused(
        "INSERT INTO packets (connection_id, sequence, amount, transfer_id)"
            + " VALUES ('\\x01', 1, 0, 1)",
        "packets_amount_check");
    assertRefused(
        "INSERT INTO transfers (id, amount, packets) VALUES (2, 0, 1)", "transfers_amount_check");
    assertRefused(
        "INSERT INTO transfers (id, amount, packets) VALUES (2, 18446744073709551616, 1)",
        "uint64");
    assertRefused(
        "INSERT INTO entries (transfer_id, account_id, amount) VALUES (1, 2, 0)", "nonzero_units");
  }

  @Test
  void unknownKindsAndStatesAreRefused() {
    assertRefused(
        "INSERT INTO accounts (name, kind, asset_code, asset_scale)"
            + " VALUES ('x', 'savings', 'USD', 2)",
        "account_kind");
    assertRefused(
        "INSERT INTO transfers (id, amount, packets, kind) VALUES (3, 1, 1, 'gift')",
        "transfer_kind");
    assertRefused(
        "INSERT INTO transfers (id, amount, packets, state) VALUES (4, 1, 1, 'open')",
        "transfer_state");
    assertRefused(
        "INSERT INTO accounts (name, kind, asset_code, asset_scale)"
            + " VALUES ('y', 'receiving', 'USD', 256)",
        "accounts_asset_scale_check");
  }

  @Test
  void anAccountNeverHoldsLessThanItReserves() {
    assertRefused("UPDATE accounts SET reserved = -1 WHERE id = 2", "unsigned_units");
    assertRefused("UPDATE accounts SET reserved = 1 WHERE id = 2", "accounts_available");
    // What accounts_check said (a receiving account's balance never below zero) follows from the
    // two: balance >= reserved >= 0.
    assertRefused("UPDATE accounts SET balance = -1 WHERE id = 2", "accounts_available");
  }

  private static String value(Statement st, String query) throws SQLException {
    try (ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void assertRefused(String statement, String rule) {
    assertThatThrownBy(() -> sql(statement))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23514"))
        .hasMessageContaining(rule);
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }
}
