package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Upgrading a ledger across db/V5 keeps every stream's totals to the unit: the stream rows of V1–V4 move into their
 * connection's row, and the {@code streams} view shows them as before.
 */
class StreamsMigrationTest {
  @TempDir Path dataDir;

  @Test
  void streamRowsMoveIntoTheirConnectionRowUnchanged() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).start()) {
      DataSource db = pg.getPostgresDatabase();
      migrate(db, "4");
      JdbcClient jdbc = JdbcClient.create(db);
      jdbc.sql("INSERT INTO accounts (id, name, kind, asset_code, asset_scale) VALUES (1, 'a', 'receiving', 'USD', 9)")
          .update();
      jdbc.sql("INSERT INTO connections (id, account_id, total_received) VALUES ('\\x01', 1, 600), ('\\x02', 1, 0), "
          + "('\\x03', 1, 0)").update();
      jdbc.sql("INSERT INTO streams (connection_id, stream_id, received, receive_max, closed) VALUES "
          + "('\\x01', 3, 18446744073709551615, 18446744073709551615, true), ('\\x01', 1, 600, 1000, false), "
          + "('\\x02', 5, 0, 7, false)").update();

      migrate(db, "latest");

      assertThat(jdbc.sql("SELECT encode(connection_id, 'hex') || ' ' || stream_id || ' ' || received || ' ' "
          + "|| receive_max || ' ' || closed FROM streams ORDER BY connection_id, stream_id").query(String.class)
          .list())
          .containsExactly("01 1 600 1000 false", "01 3 18446744073709551615 18446744073709551615 true",
              "02 5 0 7 false");
      assertThat(jdbc.sql("SELECT streams::text FROM connections ORDER BY id").query(String.class).list())
          .containsExactly("{\"(1,600,1000,f)\",\"(3,18446744073709551615,18446744073709551615,t)\"}",
              "{\"(5,0,7,f)\"}", "{}");
    }
  }

  private static void migrate(DataSource db, String target) {
    Flyway.configure().dataSource(db).locations("classpath:db/migration").target(target).load().migrate();
  }
}
