package dev.inlet.config;

import dev.inlet.crypto.ConnectionTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three secrets Inlet runs with: the server secret (≥ 32 bytes, from which every connection's
 * shared secret derives, RFC 0029 §4.1), the admin token and the connector token. Each comes from
 * its {@code INLET_*} setting; on the embedded default a missing one is generated on first start
 * and kept in the data directory, readable by its owner only, so it is the same after a restart.
 * With an external database they must be configured: replicas need the same server secret, and a
 * generated one would be lost with the container.
 *
 * @param serverSecret server secret bytes (≥ 32)
 * @param adminToken bearer token for {@code /admin/**}
 * @param connectorToken bearer token for {@code POST /ilp}
 */
public record Secrets(byte[] serverSecret, String adminToken, String connectorToken) {
  private static final Logger log = LoggerFactory.getLogger(Secrets.class);
  private static final SecureRandom random = new SecureRandom();

  /**
   * Resolves the secrets from settings and, on the embedded default, from files in the data
   * directory.
   *
   * @throws IllegalStateException when a secret is missing on an external database, or the server
   *     secret is not base64 of at least 32 bytes
   */
  public static Secrets resolve(InletSettings settings) {
    String secret =
        value(settings, settings.serverSecret(), "server-secret", "INLET_SERVER_SECRET");
    byte[] serverSecret;
    try {
      serverSecret = Base64.getDecoder().decode(secret.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("INLET_SERVER_SECRET must be base64 (standard alphabet)");
    }
    if (serverSecret.length < ConnectionTokens.minServerSecretBytes) {
      throw new IllegalStateException(
          "INLET_SERVER_SECRET must decode to at least "
              + ConnectionTokens.minServerSecretBytes
              + " bytes");
    }
    return new Secrets(
        serverSecret,
        value(settings, settings.adminToken(), "admin-token", "INLET_ADMIN_TOKEN"),
        value(settings, settings.connectorToken(), "connector-token", "INLET_CONNECTOR_TOKEN"));
  }

  private static String value(
      InletSettings settings, Optional<String> configured, String file, String env) {
    Optional<String> given = configured.filter(s -> !s.isBlank());
    if (given.isPresent()) {
      return given.get();
    }
    if (!settings.embeddedDatabase()) {
      throw new IllegalStateException(env + " must be set when INLET_DATABASE_URL is set");
    }
    return readOrGenerate(settings.dataDir().resolve(file).toAbsolutePath(), env + " not set");
  }

  /**
   * The secret kept in {@code path}, or a new one (32 random bytes, base64) written there readable
   * by its owner only. {@code why} says in the log why one was generated; the value never reaches
   * it.
   */
  static String readOrGenerate(Path path, String why) {
    try {
      if (Files.exists(path)) {
        return Files.readString(path).trim();
      }
      Files.createDirectories(path.getParent());
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      String value = Base64.getEncoder().encodeToString(bytes);
      Files.createFile(
          path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(path, value);
      // The location only: a token never reaches a log.
      log.info("{}: generated one and stored it in {}", why, path);
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create " + path, e);
    }
  }

  @Override
  public String toString() {
    return "Secrets[redacted]";
  }
}
