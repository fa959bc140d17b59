package dev.inlet.ledger.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.flywaydb.core.Flyway;

/** An embedded PostgreSQL of a test's own, with Inlet's schema (db/) migrated into it. */
final class MigratedPostgres {
  private MigratedPostgres() {}

  /** Started and migrated; the caller closes it. */
  static EmbeddedPostgres start() throws IOException {
    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
    Flyway.configure()
        .dataSource(pg.getPostgresDatabase())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return pg;
  }
}
