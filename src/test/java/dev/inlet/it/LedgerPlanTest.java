package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ledger.Accounts;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchDecider;
import dev.inlet.ledger.batch.LedgerState;
import dev.inlet.ledger.postgres.BatchPlans;
import dev.inlet.ledger.postgres.PostgresAccounts;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ledger's batch statement reaches each connection of a batch (and with it its streams, in its
 * row), and each invoice it pays, through the primary key, however many rows the table holds: a
 * sequential scan of {@code connections} or a scan of every open invoice per commit would make
 * every batch as slow as the table is long.
 */
class LedgerPlanTest extends InletPerClass {
  private static final int connections = 50_000;

  @Test
  void aBatchProbesThePrimaryKeysOfLargeTables() throws Exception {
    inlet.createAccount("plans", null);
    long account = inlet.bean(Accounts.class).findByName("plans").orElseThrow().id();
    long connector = inlet.bean(PostgresAccounts.class).ensureConnectorAccount("USD", 9);
    DataSource dataSource = inlet.bean(DataSource.class);
    JdbcClient jdbc = JdbcClient.create(dataSource);
    jdbc.sql(
            "INSERT INTO connections (id, account_id, version) SELECT substring(decode(md5(g::text), 'hex') FROM 1 "
                + "FOR 12), ?, 1 FROM generate_series(1, ?) g")
        .param(account)
        .param(connections)
        .update();
    jdbc.sql("UPDATE connections SET streams = ARRAY[ROW(1, 0, 1000, false)::stream_total]")
        .update();
    jdbc.sql("ANALYZE connections").update();
    List<byte[]> ids =
        jdbc.sql("SELECT id FROM connections WHERE account_id = ? ORDER BY id LIMIT 40")
            .param(account)
            .query(byte[].class)
            .list();

    // A batch decided on cached state, as most are: one paying packet on each of 40 existing
    // connections, to a
    // stream each already has.
    LedgerState state = new LedgerState();
    state.account(account, 0, null);
    List<PacketRecord> packets = new ArrayList<>();
    for (byte[] id : ids) {
      state.connection(id, 0, false, 0, 1);
      state.stream(id, 1, 0, 1000, false);
      packets.add(packet(id, account, 0L));
    }
    BatchChanges writes = new BatchChanges();
    new BatchDecider(1024).decide(packets, state, writes, Instant.EPOCH);
    assertThat(writes.connections()).hasSize(ids.size());

    for (String plan : plans(dataSource, connector, writes)) {
      assertThat(plan)
          .contains("Update on connections")
          .containsPattern("Index Scan (using|on) connections_pkey")
          .doesNotContain("Seq Scan on connections");
    }
  }

  @Test
  void aBatchPayingInvoicesProbesTheirPrimaryKeyAmongManyOpenOnes() throws Exception {
    inlet.createAccount("invoice-plans", null);
    long account = inlet.bean(Accounts.class).findByName("invoice-plans").orElseThrow().id();
    long connector = inlet.bean(PostgresAccounts.class).ensureConnectorAccount("USD", 9);
    DataSource dataSource = inlet.bean(DataSource.class);
    JdbcClient jdbc = JdbcClient.create(dataSource);
    long merchant =
        jdbc.sql("INSERT INTO merchants (name) VALUES ('invoice-plans') RETURNING id")
            .query(Long.class)
            .single();
    jdbc.sql("UPDATE accounts SET merchant_id = ? WHERE id = ?").params(merchant, account).update();
    jdbc.sql(
            "INSERT INTO invoices (public_id, account_id, merchant_id, amount, expires_at)"
                + " SELECT 'inv_plan' || g, ?, ?, 1000000, now() + interval '1 day'"
                + " FROM generate_series(1, ?) g")
        .params(account, merchant, connections)
        .update();
    jdbc.sql("ANALYZE invoices").update();
    List<Long> invoices =
        jdbc.sql("SELECT id FROM invoices WHERE account_id = ? ORDER BY id LIMIT 40")
            .param(account)
            .query(Long.class)
            .list();

    // One paying packet on each of 40 existing connections, each paying its own open invoice.
    LedgerState state = new LedgerState();
    state.account(account, 0, null);
    List<PacketRecord> packets = new ArrayList<>();
    for (int i = 0; i < invoices.size(); i++) {
      byte[] id = ("invoice-plan-" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      jdbc.sql("INSERT INTO connections (id, account_id, invoice_id, version) VALUES (?, ?, ?, 1)")
          .params(id, account, invoices.get(i))
          .update();
      state.invoice(invoices.get(i), account, 1_000_000, 0, true, Instant.now().plusSeconds(3600));
      state.connection(id, 0, false, 0, 1);
      packets.add(packet(id, account, invoices.get(i)));
    }
    BatchChanges writes = new BatchChanges();
    new BatchDecider(1024).decide(packets, state, writes, Instant.EPOCH);
    assertThat(writes.connections()).hasSize(invoices.size());

    for (String plan : plans(dataSource, connector, writes)) {
      assertThat(plan)
          .contains("Update on invoices")
          .containsPattern("Index Scan (using|on) invoices_pkey")
          .doesNotContain("Seq Scan on invoices")
          .doesNotContain("Bitmap Heap Scan on invoices");
    }
  }

  /** A fulfillable packet of 10 units, the connection's first, on stream 1. */
  private static PacketRecord packet(byte[] connection, long account, long invoice) {
    return new PacketRecord(
        connection,
        account,
        invoice,
        null,
        1,
        10,
        Instant.now().plusSeconds(30),
        true,
        false,
        List.of(new StreamCredit(1, 10, false)),
        List.of());
  }

  /**
   * The statement's plan for {@code writes}, seven times: past the fifth execution, after which
   * PostgreSQL may plan the prepared statement generically.
   */
  private static List<String> plans(DataSource dataSource, long connector, BatchChanges writes)
      throws Exception {
    List<String> plans = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      for (int run = 1; run <= 7; run++) {
        plans.add(BatchPlans.explain(c, connector, writes));
      }
    }
    return plans;
  }
}
