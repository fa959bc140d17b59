package dev.inlet.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two Inlet replicas on one PostgreSQL, an external database to both (embedded here, in {@code
 * dir/shared-db}), with the same server secret: what a deployment of several replicas is.
 */
final class TwoReplicas implements AutoCloseable {
  final EmbeddedPostgres database;
  final TestInlet first;
  final TestInlet second;

  private TwoReplicas(EmbeddedPostgres database, TestInlet first, TestInlet second) {
    this.database = database;
    this.first = first;
    this.second = second;
  }

  /** Starts the database, then both replicas with {@code extra} settings. */
  static TwoReplicas start(Path dir, Map<String, String> extra) throws IOException {
    EmbeddedPostgres database =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("shared-db"))
            .setCleanDataDirectory(true)
            .start();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Map<String, String> shared = new LinkedHashMap<>(extra);
    shared.put("inlet.database-url", database.getJdbcUrl("postgres", "postgres"));
    shared.put("inlet.server-secret", Base64.getEncoder().encodeToString(secret));
    TestInlet first = TestInlet.start(dir.resolve("first"), shared);
    TestInlet second = TestInlet.start(dir.resolve("second"), shared);
    return new TwoReplicas(database, first, second);
  }

  @Override
  public void close() throws IOException {
    second.close();
    first.close();
    database.close();
  }
}
