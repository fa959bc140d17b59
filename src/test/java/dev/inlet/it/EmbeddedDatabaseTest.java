package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The embedded default is a real PostgreSQL 17 with durable settings, in the configured data
 * directory, that no one without the generated password can log in to.
 */
class EmbeddedDatabaseTest extends InletPerClass {

  @Test
  void runsWithFsyncSynchronousCommitAndFullPageWritesOn() throws Exception {
    assertThat(setting("fsync")).isEqualTo("on");
    assertThat(setting("synchronous_commit")).isEqualTo("on");
    assertThat(setting("full_page_writes")).isEqualTo("on");
  }

  @Test
  void keepsAGibibyteOfWalSegmentsForReuse() throws Exception {
    // Below that a checkpoint may delete segments, and a commit that reaches a missing one creates
    // it: 16 MiB
    // zero-filled and flushed first, a 30-80 ms stall seen in the load benchmark every 16 MiB of
    // WAL.
    assertThat(setting("min_wal_size")).isEqualTo("1GB");
  }

  @Test
  void isPostgres17InTheDataDirectory() throws Exception {
    assertThat(setting("server_version")).startsWith("17.");
    assertThat(Path.of(setting("data_directory")).toRealPath())
        .isEqualTo(inletDataDir.resolve("postgres").toRealPath());
    assertThat(Files.exists(inletDataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();
  }

  @Test
  void migrationsAreApplied() throws Exception {
    try (Connection c = inlet.bean(DataSource.class).getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
                    + "ORDER BY installed_rank")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("1");
    }
  }

  @Test
  void ledgerCheckNamesABalanceThatDiffersFromItsEntries() throws Exception {
    inlet.createAccount("mallory", null);
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
    try (Connection c = inlet.bean(DataSource.class).getConnection();
        Statement st = c.createStatement()) {
      // Money that no entry explains: what a bug or a hand edit would leave behind.
      st.executeUpdate("UPDATE accounts SET balance = balance + 5 WHERE name = 'mallory'");
      try {
        HttpResponse<String> r = inlet.adminGet("/admin/ledger/check");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body())
            .contains("urn:inlet:problem:ledger-inconsistent")
            .contains("account mallory: balance 5 but its entries sum to 0");
      } finally {
        st.executeUpdate("UPDATE accounts SET balance = balance - 5 WHERE name = 'mallory'");
      }
    }
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
  }

  @Test
  void ledgerCheckNamesAPacketOfNoKnownConnection() throws Exception {
    try (Connection c = inlet.bean(DataSource.class).getConnection();
        Statement st = c.createStatement()) {
      // A balanced posting whose packet names no connection: what a bug in the batch statement
      // would leave.
      st.executeUpdate("INSERT INTO transfers (id, amount, packets) VALUES (-7, 3, 1)");
      st.executeUpdate(
          "INSERT INTO entries (transfer_id, account_id, amount) SELECT -7, id, 3 FROM accounts "
              + "WHERE kind = 'connector' UNION ALL SELECT -7, id, -3 FROM accounts WHERE kind = 'connector'");
      st.executeUpdate(
          "INSERT INTO packets (connection_id, sequence, amount, transfer_id) VALUES ('\\x00', 1, 3, -7)");
      try {
        HttpResponse<String> r = inlet.adminGet("/admin/ledger/check");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("packet 00/1 names no known connection or transfer");
        st.executeUpdate("UPDATE packets SET amount = 4 WHERE transfer_id = -7");
        assertThat(inlet.adminGet("/admin/ledger/check").body())
            .contains("transfer -7 posts 3 in 1 packets, but its packets sum to 4 in 1");
      } finally {
        st.executeUpdate("DELETE FROM packets WHERE transfer_id = -7");
        st.executeUpdate("DELETE FROM entries WHERE transfer_id = -7");
        st.executeUpdate("DELETE FROM transfers WHERE id = -7");
      }
    }
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
  }

  @Test
  void refusesALoginWithoutThePasswordOverTcp() throws Exception {
    int port = Integer.parseInt(setting("port"));
    PostgresLogin.Outcome tcp =
        PostgresLogin.withoutPassword(new InetSocketAddress("127.0.0.1", port));
    assertThat(tcp.sqlState()).as("password authentication failed").isEqualTo("28P01");
    // What psql or a JDBC client without the password gets.
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres")
                    .close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("no password was provided");
  }

  @Test
  void refusesALoginWithoutThePasswordOverTheUnixSocketInTheDataDirectory() throws Exception {
    Path socketDir = inletDataDir.resolve("postgres").resolve("socket");
    assertThat(setting("unix_socket_directories")).isEqualTo(socketDir.toString());
    assertThat(Files.getPosixFilePermissions(socketDir))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    Path socket = socketDir.resolve(".s.PGSQL." + setting("port"));
    assertThat(socket).exists();
    assertThat(Path.of("/tmp", socket.getFileName().toString())).doesNotExist();
    PostgresLogin.Outcome local = PostgresLogin.withoutPassword(UnixDomainSocketAddress.of(socket));
    assertThat(local.sqlState()).as("password authentication failed").isEqualTo("28P01");
  }

  @Test
  void everyRuleAsksForScramSha256AndTheServerListensOnLoopbackOnly() throws Exception {
    assertThat(setting("listen_addresses")).isEqualTo("127.0.0.1");
    assertThat(setting("password_encryption")).isEqualTo("scram-sha-256");
    try (Connection c = inlet.bean(DataSource.class).getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT auth_method, error FROM pg_hba_file_rules")) {
      int rules = 0;
      while (rs.next()) {
        assertThat(rs.getString("auth_method")).isEqualTo("scram-sha-256");
        assertThat(rs.getString("error")).isNull();
        rules++;
      }
      assertThat(rules).isEqualTo(3);
    }
    // The password file is its owner's alone, like the other generated secrets.
    assertThat(Files.getPosixFilePermissions(inletDataDir.resolve("database-password")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  private static String setting(String name) throws Exception {
    try (Connection c = inlet.bean(DataSource.class).getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
