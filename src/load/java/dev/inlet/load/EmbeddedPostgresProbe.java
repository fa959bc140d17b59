package dev.inlet.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Inlet's embedded PostgreSQL seen from its data directory: its postmaster (pid and port from
 * {@code postmaster.pid}), and SQL on it with the password Inlet generated (a checkpoint, the WAL
 * reserve).
 */
final class EmbeddedPostgresProbe {
  private final Path dataDir;
  private Long postmasterPid;

  EmbeddedPostgresProbe(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Runs a PostgreSQL {@code CHECKPOINT} on Inlet's embedded database (port from {@code
   * postmaster.pid}): the WAL behind it is recycled as future segments, and the phase after it does
   * not pay for the checkpoint's writes.
   */
  void checkpoint() throws SQLException, IOException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("CHECKPOINT");
    }
  }

  /**
   * Gives the embedded cluster the WAL segments a server that has run for a while has. A new
   * cluster creates each segment when its WAL first reaches it: 16 MiB zero-filled and flushed
   * inside a commit, a stall of 30–80 ms every 16 MiB of WAL (every 2–4 s under load). Here {@code
   * segments} are created at once (a WAL message and a switch each), then a checkpoint recycles
   * them as future segments, which Inlet's embedded server keeps ({@code min_wal_size}, {@code
   * DatabaseConfig}).
   *
   * @return the WAL segments PostgreSQL holds afterwards
   */
  int reserveWal(int segments) throws SQLException, IOException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (int i = 0; i < segments; i++) {
        st.execute(
            "SELECT pg_logical_emit_message(false, 'inlet-load', 'wal reserve'), pg_switch_wal()");
      }
      st.execute("CHECKPOINT");
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_ls_waldir()")) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** The first column of the first row of {@code sql}, a number, read from Inlet's database. */
  long queryLong(String sql) throws SQLException, IOException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {@code sql}'s rows as name (first column) → count (second), in the order of the rows. */
  java.util.Map<String, Long> counts(String sql) throws SQLException, IOException {
    java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    return counts;
  }

  /**
   * A connection to the embedded server, with the password Inlet generated into its data dir; a jar
   * from before the private embedded database (an A/B baseline) has none and trusts loopback.
   */
  private Connection connect() throws IOException, SQLException {
    Path passwordFile = dataDir.resolve("database-password");
    String password = Files.exists(passwordFile) ? Files.readString(passwordFile).strip() : "";
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + postmasterPidLine(3) + "/postgres", "postgres", password);
  }

  /**
   * Line {@code index} of PostgreSQL's {@code postmaster.pid}: 0 the postmaster's pid, 3 its port.
   */
  private String postmasterPidLine(int index) throws IOException {
    return Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
        .get(index)
        .trim();
  }

  /** The postmaster, once {@code postmaster.pid} names it; its pid is read once. */
  Optional<ProcessHandle> postmaster() {
    if (postmasterPid == null) {
      try {
        postmasterPid = Long.parseLong(postmasterPidLine(0));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
    return ProcessHandle.of(postmasterPid);
  }
}
