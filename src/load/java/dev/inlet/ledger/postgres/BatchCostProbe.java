package dev.inlet.ledger.postgres;

import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchDecider;
import dev.inlet.ledger.batch.LedgerCache;
import dev.inlet.ledger.batch.LedgerState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;

/**
 * Ledger-only probe of the batch statement's cost (issue 22): the ledger writer's cached path
 * (decide, then {@link BatchStatement} in autocommit) against an embedded PostgreSQL of its own,
 * for batches of P packets over C connections, one receiving account. Prints per statement the wall
 * time, the backend's CPU ({@code /proc/<pid>/stat}) and {@code pg_stat_statements}' plan and
 * execution times. Not a test; run by hand:
 *
 * <pre>
 * java -cp … dev.inlet.ledger.postgres.BatchCostProbe 1x1,8x8,24x24,64x64,200x64,200x64i 2000 [session SQL]
 * </pre>
 *
 * <p>A shape ending in {@code i} pays invoices: the account belongs to a merchant, and each
 * connection pays its own open invoice (the load benchmark's invoice mode), so the statement also
 * updates the invoices and writes {@code payment.received} events.
 */
public final class BatchCostProbe {
  static final long connector = 1;
  static final long account = 2;
  static final long clockTicksPerSecond = 100;

  public static void main(String[] args) throws Exception {
    String[] shapes = args[0].split(",");
    int iterations = Integer.parseInt(args[1]);
    String sessionSql = args.length > 2 ? args[2] : "";
    Path dir = Files.createTempDirectory("batchcost-probe");
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setServerConfig("shared_preload_libraries", "pg_stat_statements")
            .setServerConfig("pg_stat_statements.track_planning", "on")
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("min_wal_size", "1GB")
            .setServerConfig("max_wal_size", "4GB")
            .start()) {
      Flyway.configure()
          .dataSource(pg.getPostgresDatabase())
          .locations("filesystem:db")
          .load()
          .migrate();
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE EXTENSION pg_stat_statements");
        st.execute(
            "INSERT INTO accounts (id, name, kind, asset_code, asset_scale) VALUES"
                + " (1, 'connector', 'connector', 'USD', 2), (2, 'receiver', 'receiving', 'USD', 2)");
        // The WAL segments ahead, as the benchmark's harness creates them.
        st.execute(
            "CREATE TABLE wal_fill AS SELECT g, repeat('x', 500) AS t FROM generate_series(1, 400000) g");
        st.execute("DROP TABLE wal_fill");
        st.execute("CHECKPOINT");
      }
      try (Connection c = pg.getPostgresDatabase().getConnection()) {
        if (!sessionSql.isBlank()) {
          try (Statement st = c.createStatement()) {
            st.execute(sessionSql);
          }
        }
        for (String shape : shapes) {
          if (!shape.contains("x")) {
            trivial(c, shape, iterations);
            continue;
          }
          boolean invoices = shape.endsWith("i");
          String[] pc = (invoices ? shape.substring(0, shape.length() - 1) : shape).split("x");
          probe(c, Integer.parseInt(pc[0]), Integer.parseInt(pc[1]), invoices, iterations);
        }
      }
    }
  }

  static void probe(Connection c, int packets, int connections, boolean invoices, int iterations)
      throws SQLException, java.io.IOException {
    byte[][] ids = new byte[connections][];
    for (int i = 0; i < connections; i++) {
      ids[i] = new byte[16];
      ThreadLocalRandom.current().nextBytes(ids[i]);
    }
    long[] invoiceIds = invoices ? openInvoices(c, connections) : new long[connections];
    BatchDecider decider = new BatchDecider(16_384);
    BatchStatement statement = new BatchStatement(connector);
    BatchTransaction transaction = new BatchTransaction(connector, decider);
    LedgerCache cache = new LedgerCache(100_000);
    long[] sequence = new long[connections];
    long pid;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      pid = rs.getLong(1);
    }
    boolean full = System.getenv("PROBE_FULL") != null;
    int warmup = Math.max(50, iterations / 5);
    long wall = 0;
    long cpu0 = 0;
    long[] us0 = null;
    for (int it = 0; it < warmup + iterations; it++) {
      if (it == warmup) {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT pg_stat_statements_reset()");
        }
        cpu0 = backendTicks(pid);
        us0 = backendUserSystem(pid);
        wall = 0;
      }
      List<PacketRecord> batch = batch(packets, ids, invoiceIds, sequence);
      long t0 = System.nanoTime();
      LedgerState cached = cache.stateFor(batch);
      if (cached != null) {
        BatchChanges changes = new BatchChanges();
        decider.decide(batch, cached, changes, Instant.now());
        c.setAutoCommit(true);
        if (full) {
          // The statement with every part, as before BatchSql: the A side of the probe.
          try (PreparedStatement st = c.prepareStatement(BatchSql.full)) {
            statement.bind(st, changes, true, true);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                rs.getString(1);
              }
            }
          }
        } else {
          statement.execute(c, changes);
        }
        cache.committed(cached, changes);
      } else {
        LedgerState state = new LedgerState();
        BatchChanges changes = new BatchChanges();
        c.setAutoCommit(false);
        transaction.lockAndDecide(c, batch, state, changes, Instant.now());
        statement.execute(c, changes);
        c.commit();
        c.setAutoCommit(true);
        cache.committed(state, changes);
      }
      wall += System.nanoTime() - t0;
    }
    if (System.getenv("PROBE_EXPLAIN") != null) {
      List<PacketRecord> batch = batch(packets, ids, invoiceIds, sequence);
      LedgerState cached = cache.stateFor(batch);
      BatchChanges changes = new BatchChanges();
      decider.decide(batch, cached, changes, Instant.now());
      c.setAutoCommit(false);
      try (PreparedStatement st =
          c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, VERBOSE off) " + BatchSql.of(changes))) {
        statement.bindAll(st, changes);
        System.out.println(explain(st));
      }
      c.rollback();
      c.setAutoCommit(true);
      cache.forget(batch);
    }
    long cpu = backendTicks(pid) - cpu0;
    long[] us = backendUserSystem(pid);
    double cpuUs = cpu * 1e6 / clockTicksPerSecond / iterations;
    String pgss = "";
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT calls, total_plan_time / greatest(calls, 1), plans,"
                    + " total_exec_time / greatest(calls, 1), shared_blks_hit / greatest(calls, 1),"
                    + " wal_records / greatest(calls, 1), wal_bytes / greatest(calls, 1)"
                    + " FROM pg_stat_statements WHERE query LIKE 'WITH batch AS%' ORDER BY calls DESC"
                    + " LIMIT 1")) {
      while (rs.next()) {
        pgss =
            String.format(
                Locale.ROOT,
                "calls %d, plan %.3f ms (%d plans), exec %.3f ms, hits %d, wal %d records %d bytes",
                rs.getLong(1),
                rs.getDouble(2),
                rs.getLong(3),
                rs.getDouble(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%4d packets x %3d connections: wall %.3f ms, backend CPU %.0f µs per statement (system %.0f;"
            + " %.1f µs per packet); %s%n",
        packets,
        connections,
        wall / 1e6 / iterations,
        cpuUs,
        (us[1] - us0[1]) * 1e6 / clockTicksPerSecond / iterations,
        cpuUs / packets,
        pgss);
  }

  /** {@code packets} one-unit packets over the connections in turn, each at its next sequence. */
  static List<PacketRecord> batch(int packets, byte[][] ids, long[] invoiceIds, long[] sequence) {
    List<PacketRecord> batch = new ArrayList<>(packets);
    for (int i = 0; i < packets; i++) {
      int k = i % ids.length;
      batch.add(
          new PacketRecord(
              ids[k],
              account,
              invoiceIds[k],
              null,
              ++sequence[k],
              1,
              Instant.now().plusSeconds(30),
              true,
              false,
              List.of(new StreamCredit(1, 1, false)),
              List.of()));
    }
    return batch;
  }

  /** A merchant owning the receiving account, and {@code n} open invoices on it that never fill. */
  static long[] openInvoices(Connection c, int n) throws SQLException {
    long[] ids = new long[n];
    try (Statement st = c.createStatement()) {
      st.execute("INSERT INTO merchants (name) VALUES ('probe') ON CONFLICT DO NOTHING");
      st.execute(
          "UPDATE accounts SET merchant_id = (SELECT id FROM merchants WHERE name = 'probe')"
              + " WHERE id = "
              + account);
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO invoices (public_id, account_id, merchant_id, amount, expires_at)"
                + " SELECT 'inv_' || md5(random()::text), ?, merchant_id, 9000000000000000000,"
                + " now() + interval '1 day' FROM accounts WHERE id = ? RETURNING id")) {
      for (int i = 0; i < n; i++) {
        st.setLong(1, account);
        st.setLong(2, account);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          ids[i] = rs.getLong(1);
        }
      }
    }
    return ids;
  }

  /** Backend CPU of a trivial autocommit statement: "select" or "insert". */
  static void trivial(Connection c, String kind, int iterations) throws Exception {
    String sql =
        kind.equals("select") ? "SELECT 1" : "UPDATE accounts SET received = received WHERE id = 2";
    long pid;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      pid = rs.getLong(1);
    }
    c.setAutoCommit(true);
    long[] t0 = null;
    long w0 = 0;
    for (int it = 0; it < iterations + 200; it++) {
      if (it == 200) {
        t0 = backendUserSystem(pid);
        w0 = System.nanoTime();
      }
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.execute();
      }
    }
    long[] t1 = backendUserSystem(pid);
    System.out.printf(
        Locale.ROOT,
        "%s: wall %.3f ms, backend user %.0f µs, system %.0f µs per statement%n",
        sql,
        (System.nanoTime() - w0) / 1e6 / iterations,
        (t1[0] - t0[0]) * 1e6 / clockTicksPerSecond / iterations,
        (t1[1] - t0[1]) * 1e6 / clockTicksPerSecond / iterations);
  }

  static long[] backendUserSystem(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** utime + stime of a process, in clock ticks. */
  static long backendTicks(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** {@code EXPLAIN (ANALYZE, BUFFERS)} text of a statement. */
  static String explain(PreparedStatement st) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }
}
