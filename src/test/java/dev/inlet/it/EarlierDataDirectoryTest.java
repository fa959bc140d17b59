package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory from an earlier version, whose embedded PostgreSQL trusted every local
 * connection, asks for the password from its first start under this one. (Not beside {@link
 * EmbeddedDatabaseTest}: two Inlets in one JVM share Reactor Netty's resources, which the first to
 * stop disposes.)
 */
class EarlierDataDirectoryTest {
  @TempDir Path dataDir;

  @Test
  void locksDownADataDirectoryThatAnEarlierVersionLeftTrustingEveryone() throws Exception {
    // How earlier versions left it: initdb -A trust, no password, the socket in /tmp.
    try (EmbeddedPostgres earlier =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir.resolve("postgres"))
            .setCleanDataDirectory(false)
            .start()) {
      // Anyone got in: the login below, which knows no password, is let in.
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", earlier.getPort());
      assertThat(PostgresLogin.withoutPassword(address).authenticationRequest())
          .isEqualTo(PostgresLogin.Outcome.ok);
    }
    try (TestInlet upgraded = TestInlet.start(dataDir)) {
      upgraded.createAccount("erin", null);
      assertThat(upgraded.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
      int port;
      try (Connection c = upgraded.bean(DataSource.class).getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW port")) {
        rs.next();
        port = rs.getInt(1);
      }
      assertThat(PostgresLogin.withoutPassword(new InetSocketAddress("127.0.0.1", port)).sqlState())
          .isEqualTo("28P01");
    }
    assertThat(Files.readString(dataDir.resolve("postgres").resolve("pg_hba.conf")))
        .doesNotContain("trust");
  }
}
