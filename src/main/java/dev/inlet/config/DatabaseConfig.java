package dev.inlet.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: an external PostgreSQL when {@code INLET_DATABASE_URL} is set, otherwise an
 * embedded real PostgreSQL whose data directory ({@code INLET_DATA_DIR}/postgres) survives
 * restarts. The embedded server runs with durable settings: the library's defaults turn {@code
 * fsync}, {@code synchronous_commit} and {@code full_page_writes} off, which would lose committed
 * credits on a crash. Only who knows the generated password may connect to it ({@link
 * EmbeddedDatabaseAccess}), and a server left running by a killed Inlet is stopped before it starts
 * again ({@link LeftRunningPostmaster}).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {
  private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

  /** Pool size: the ledger writer holds one connection; reads (admin, SPSP) share the rest. */
  private static final int poolSize = 8;

  /**
   * Longest anyone waits for a pooled connection (HikariCP's default is 30 s). The ledger writer
   * asks for one per batch: with the database down, a Prepare is then rejected T00 within about
   * this long — well inside the Prepare's expiry window (30 s from common senders, less after each
   * connector hop) — instead of being held until it expires, and the connector can retry elsewhere.
   * Several times a healthy pool's worst wait.
   */
  static final Duration connectionTimeout = Duration.ofSeconds(2);

  /**
   * Longest the liveness check of an idle connection may take; HikariCP requires less than the
   * above.
   */
  static final Duration validationTimeout = Duration.ofSeconds(1);

  // No socketTimeout on purpose: it would cut off a commit in flight, whose outcome the ledger
  // could then not know, and the admin ledger check legitimately reads whole tables. A database
  // that hangs mid-statement holds the writer.

  @Bean(destroyMethod = "close")
  EmbeddedDatabase embeddedDatabase(InletSettings settings) {
    if (!settings.embeddedDatabase()) {
      return new EmbeddedDatabase(null, null);
    }
    Path dir = settings.dataDir().resolve("postgres").toAbsolutePath();
    try {
      Files.createDirectories(dir);
      LeftRunningPostmaster.stopIfOrphaned(dir);
      EmbeddedDatabaseAccess access = EmbeddedDatabaseAccess.prepare(settings.dataDir(), dir);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setPgBinaryResolver(PostgresBinaries.instance)
              .setOverrideWorkingDirectory(PostgresBinaries.workingDirectory().toFile())
              // After initdb (which the library runs with trust), before the server first starts.
              .setDataDirectoryCustomizer(ignored -> access.lockDown())
              .setServerConfig("listen_addresses", EmbeddedDatabaseAccess.listenAddress)
              .setServerConfig("unix_socket_directories", access.socketDirectoriesSetting())
              .setServerConfig("password_encryption", "scram-sha-256")
              // For the library's own readiness check.
              .setConnectConfig("password", access.password())
              // Stopped by this context after the ledger has drained, not by a JVM hook racing it
              // on SIGTERM.
              .setRegisterShutdownHook(false)
              .setServerConfig("fsync", "on")
              .setServerConfig(
                  "synchronous_commit", settings.unsafeNonDurableCommits() ? "off" : "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "50")
              // Keep 1 GiB of WAL segments for reuse: a commit that reaches a segment PostgreSQL
              // must create zero-fills and flushes 16 MiB first (30-80 ms here); a recycled one is
              // already there.
              .setServerConfig("min_wal_size", "1GB")
              .start();
      log.info("Embedded PostgreSQL started on port {} with data directory {}", pg.getPort(), dir);
      return new EmbeddedDatabase(pg, access.password());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dir, e);
    }
  }

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(InletSettings settings, EmbeddedDatabase embedded) {
    HikariConfig config = new HikariConfig();
    if (settings.unsafeNonDurableCommits()) {
      log.warn(
          "INLET_UNSAFE_NON_DURABLE_COMMITS is on: credits are not flushed before their Fulfill is sent. "
              + "A crash can lose money that senders were told arrived. For benchmark baselines only.");
      config.setConnectionInitSql("SET synchronous_commit = off");
    }
    config.setPoolName("inlet");
    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setValidationTimeout(validationTimeout.toMillis());
    // The driver's TCP connect timeout (seconds; its default is 10), so that an attempt to reach a
    // host that drops packets ends with the wait above instead of outliving it.
    config.addDataSourceProperty("connectTimeout", connectionTimeout.toSeconds());
    if (embedded.postgres() != null) {
      config.setJdbcUrl(
          "jdbc:postgresql://"
              + EmbeddedDatabaseAccess.listenAddress
              + ":"
              + embedded.postgres().getPort()
              + "/postgres");
      config.setUsername(EmbeddedDatabaseAccess.superuser);
      config.setPassword(embedded.password());
    } else {
      config.setJdbcUrl(settings.databaseUrl().orElseThrow());
      settings.databaseUser().ifPresent(config::setUsername);
      settings.databasePassword().ifPresent(config::setPassword);
    }
    return new HikariDataSource(config);
  }

  /** Holder so the embedded server stops after the pool that uses it has closed. */
  record EmbeddedDatabase(EmbeddedPostgres postgres, String password) implements AutoCloseable {
    @Override
    public String toString() {
      return "EmbeddedDatabase[" + postgres + "]";
    }

    @Override
    public void close() throws IOException {
      if (postgres != null) {
        postgres.close();
      }
    }
  }
}
