package dev.inlet.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ledger.batch.BatchChanges.PaymentReceived;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code payment.received} data the decider's events carry, as the batch statement binds and
 * casts it: whatever an account's name or a sender's address holds arrives in PostgreSQL as the
 * same strings, in valid JSON.
 */
class PaymentEventsTest {
  static EmbeddedPostgres pg;

  @BeforeAll
  static void database() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @Test
  void rendersCompactJsonWithUnsignedAmountsAndHexIds() {
    StringBuilder b = new StringBuilder();
    PaymentEvents.json(
        new PaymentReceived(new byte[] {0x0a, (byte) 0xff}, 3, "shop", null, -1L, -2L, null), b);
    assertThat(b)
        .hasToString(
            "{\"account\":\"shop\",\"invoice\":null,\"connection_id\":\"0aff\","
                + "\"amount\":\"18446744073709551615\",\"total_received\":\"18446744073709551614\","
                + "\"source_address\":null}");
  }

  @Test
  void anyNameAndAddressArriveIntactThroughTheStatementsArrays() throws Exception {
    List<String> names =
        List.of("plain", "quote \" and \\ backslash", "{braces},comma", "tab\tnewline\n", "ünï ✓");
    List<PaymentReceived> events = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      events.add(
          new PaymentReceived(
              new byte[] {(byte) i},
              100 + i,
              names.get(i),
              "inv_" + i,
              i + 1,
              i + 10,
              i % 2 == 0 ? null : "test." + names.get(i)));
    }
    try (Connection c = pg.getPostgresDatabase().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT e.merchant_id, d->>'account', d->>'invoice', d->>'connection_id',"
                    + " d->>'amount', d->>'total_received', d->>'source_address'"
                    + " FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY AS e(merchant_id, data, n),"
                    + " LATERAL (SELECT e.data::json AS d) j ORDER BY e.n")) {
      st.setObject(1, PaymentEvents.merchants(events), Types.OTHER);
      st.setObject(2, PaymentEvents.data(events), Types.OTHER);
      try (ResultSet rs = st.executeQuery()) {
        for (PaymentReceived e : events) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(e.merchantId());
          assertThat(rs.getString(2)).isEqualTo(e.account());
          assertThat(rs.getString(3)).isEqualTo(e.invoice());
          assertThat(rs.getString(4)).isEqualTo(String.format("%02x", e.connectionId()[0]));
          assertThat(rs.getString(5)).isEqualTo(Long.toString(e.amount()));
          assertThat(rs.getString(6)).isEqualTo(Long.toString(e.totalReceived()));
          assertThat(rs.getString(7)).isEqualTo(e.sourceAddress());
        }
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
