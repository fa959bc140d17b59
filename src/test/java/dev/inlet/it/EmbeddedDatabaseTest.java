package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The embedded default is a real PostgreSQL 17 with durable settings, in the configured data directory. */
class EmbeddedDatabaseTest extends InletPerClass {

  @Test
  void runsWithFsyncSynchronousCommitAndFullPageWritesOn() throws Exception {
    assertThat(setting("fsync")).isEqualTo("on");
    assertThat(setting("synchronous_commit")).isEqualTo("on");
    assertThat(setting("full_page_writes")).isEqualTo("on");
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
        ResultSet rs = st.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
      rs.next();
      assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void ledgerCheckNamesABalanceThatDiffersFromItsEntries() throws Exception {
    inlet.createAccount("mallory", null);
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
    try (Connection c = inlet.bean(DataSource.class).getConnection(); Statement st = c.createStatement()) {
      // Money that no entry explains: what a bug or a hand edit would leave behind.
      st.executeUpdate("UPDATE accounts SET balance = balance + 5 WHERE name = 'mallory'");
      try {
        HttpResponse<String> r = inlet.adminGet("/admin/ledger/check");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("urn:inlet:problem:ledger-inconsistent")
            .contains("account mallory: balance 5 but its entries sum to 0");
      } finally {
        st.executeUpdate("UPDATE accounts SET balance = balance - 5 WHERE name = 'mallory'");
      }
    }
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
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
