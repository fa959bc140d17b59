package dev.inlet.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchDecider;
import dev.inlet.ledger.batch.LedgerState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The overpay guard of a held invoice lives in its holder's row (db/V8): a held batch decided on a
 * view of the invoice the database no longer has is refused as stale (IN409) and writes nothing,
 * whatever the decider thought was left.
 */
class InvoiceHoldStatementTest {
  static final long connector = 1;
  static final long account = 2;
  static final long invoice = 5;
  static final byte[] holder = {4, 4, 4};
  static EmbeddedPostgres pg;

  @BeforeAll
  static void database() throws Exception {
    pg = MigratedPostgres.start();
    // The holder took the hold at 40 with 60 left (cap 100), then received 50 more: the invoice
    // has received 90 of 100.
    sql(
        "INSERT INTO merchants (id, name) VALUES (1, 'm');"
            + " INSERT INTO accounts (id, name, kind, asset_code, asset_scale, merchant_id) VALUES"
            + " (1, 'connector', 'connector', 'USD', 2, NULL), (2, 'shop', 'receiving', 'USD', 2, 1);"
            + " INSERT INTO invoices (id, public_id, account_id, merchant_id, state, amount, received,"
            + " expires_at, holder, holder_base) VALUES (5, 'inv_x', 2, 1, 'processing', 100, 40,"
            + " now() + interval '1 hour', '\\x040404', 40);"
            + " INSERT INTO connections (id, account_id, invoice_id, total_received, version,"
            + " invoice_cap) VALUES ('\\x040404', 2, 5, 90, 3, 100)");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @Test
  void aHeldCreditPastTheHoldersCapIsRefusedAndWritesNothing() throws Exception {
    // A cache that missed the holder's last 50: it sees 40 received and pays 30 more.
    BatchChanges stale = decide(40, 40, 30);
    assertThat(stale.connections().values().iterator().next().held()).isTrue();
    String before = rows();
    try (Connection c = pg.getPostgresDatabase().getConnection()) {
      c.setAutoCommit(true);
      assertThatThrownBy(() -> new BatchStatement(connector).execute(c, stale))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(SqlStates.staleBatch));
    }
    assertThat(rows()).isEqualTo(before);

    // The same credit within the cap, decided on what the database has, is written, and the
    // invoice's row is not.
    try (Connection c = pg.getPostgresDatabase().getConnection()) {
      c.setAutoCommit(true);
      new BatchStatement(connector).execute(c, decide(90, 90, 5));
    }
    assertThat(rows()).isEqualTo("invoice row 40, received 95, holder 95 of cap 100");

    // The ledger check's rule: what the invoice shows is what its connections received.
    JdbcClient jdbc = JdbcClient.create(pg.getPostgresDatabase());
    List<String> differences = new ArrayList<>();
    InvoiceChecks.check(jdbc, differences);
    assertThat(differences).isEmpty();
    sql("UPDATE invoices SET received = received + 1");
    InvoiceChecks.check(jdbc, differences);
    sql("UPDATE invoices SET received = received - 1");
    assertThat(differences)
        .containsExactly(
            "invoice inv_x: received 96 of 100 but its connections received 95;"
                + " its holder has 95 of cap 100");
  }

  /**
   * One packet of {@code amount} by the holder, decided on an invoice that has received {@code
   * received} with the holder at {@code total}.
   */
  private static BatchChanges decide(long received, long total, long amount) {
    LedgerState state = new LedgerState();
    state.account(account, total, null);
    state.invoice(
        invoice, account, 100, received, true, Instant.now().plusSeconds(600), holder, false, null);
    state.connection(holder, total, false, 0, 3);
    PacketRecord p =
        new PacketRecord(
            holder,
            account,
            invoice,
            null,
            total,
            amount,
            Instant.now().plusSeconds(30),
            true,
            false,
            List.of(new StreamCredit(1, amount, false)),
            List.of());
    BatchChanges changes = new BatchChanges();
    new BatchDecider(100).decide(List.of(p), state, changes, Instant.now());
    return changes;
  }

  private static String rows() throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT 'invoice row ' || i.received || ', received ' || inlet_invoice_received(i)"
                    + " || ', holder ' || c.total_received || ' of cap ' || c.invoice_cap"
                    + " FROM invoices i JOIN connections c ON c.id = i.holder")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void sql(String sql) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
