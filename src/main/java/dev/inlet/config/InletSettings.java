package dev.inlet.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Operator settings, bound from environment variables with the {@code INLET_} prefix (for example
 * {@code INLET_ILP_ADDRESS} binds {@code ilpAddress}). Validated once at start by {@link
 * SettingsValidator}.
 *
 * @param ilpAddress this receiver's ILP address (RFC 0015); each account receives at {@code
 *     ilpAddress.<name>.<token>}. Unset: the parent's answer over ILDCP when an uplink is set, else
 *     {@code test.inlet} ({@code dev.inlet.uplink.IlpIdentity})
 * @param assetCode asset code advertised in {@code ConnectionAssetDetails} and given to new
 *     accounts
 * @param assetScale asset scale (0..255): amounts are integers of 10^-scale of the asset
 * @param connectorToken bearer token the upstream connector presents on {@code POST /ilp} (RFC
 *     0035)
 * @param adminToken bearer token for {@code /admin/**}
 * @param serverSecret base64 server secret (≥ 32 bytes) from which connection credentials derive
 *     (RFC 0029 §4.1)
 * @param databaseUrl JDBC URL of an external PostgreSQL; absent means the embedded PostgreSQL
 * @param databaseUser user for {@code databaseUrl}, when not in the URL
 * @param databasePassword password for {@code databaseUrl}, when not in the URL
 * @param dataDir directory of the embedded database and of generated secrets
 * @param defaultAccount account served at {@code /.well-known/pay}
 * @param idleTimeout a connection that has read nothing for this long while none of its requests is
 *     being answered is closed: on the ILP-over-HTTP port, and on the web server's ({@code
 *     server.netty.idle-timeout} follows it)
 * @param ilpPort TCP port of the ILP-over-HTTP listener ({@code POST /ilp}, RFC 0035); 0 for any
 *     free port
 * @param ilpRequestTimeout on the ILP-over-HTTP port, a request's head and whole body must arrive
 *     within this from its first byte, else 408 and the connection closes
 * @param managementPort TCP port of the actuator endpoints ({@code /actuator/**}: health, metrics),
 *     which the main port does not serve ({@code management.server.port} follows it); 0 for any
 *     free port, the main port's number to serve them there after all
 * @param adminAuthMaxFailures failed admin authentications from one client address, within {@code
 *     adminAuthWindow} of its first, after which its admin requests get 429 until then
 * @param adminAuthWindow how long a client address's failed admin authentications count, from the
 *     first
 * @param unsafeNonDurableCommits benchmark baselines only: commit without waiting for the WAL flush
 *     ({@code synchronous_commit=off}), so a crash can lose credits whose Fulfill was already sent
 * @param unpaidConnectionMaxIdle a STREAM connection that never received money is deleted once this
 *     long without a packet; zero: never
 * @param unpaidConnectionPruneInterval how often such connections are looked for and deleted
 */
@ConfigurationProperties(prefix = "inlet")
public record InletSettings(
    String ilpAddress,
    String assetCode,
    Integer assetScale,
    Optional<String> connectorToken,
    Optional<String> adminToken,
    Optional<String> serverSecret,
    Optional<String> databaseUrl,
    Optional<String> databaseUser,
    Optional<String> databasePassword,
    Path dataDir,
    Optional<String> defaultAccount,
    Duration idleTimeout,
    Integer ilpPort,
    Duration ilpRequestTimeout,
    Integer managementPort,
    Integer adminAuthMaxFailures,
    Duration adminAuthWindow,
    boolean unsafeNonDurableCommits,
    Duration unpaidConnectionMaxIdle,
    Duration unpaidConnectionPruneInterval) {

  /** Unset optional settings bind as null: make them empty, and blank values count as unset. */
  public InletSettings {
    connectorToken = present(connectorToken);
    adminToken = present(adminToken);
    serverSecret = present(serverSecret);
    databaseUrl = present(databaseUrl);
    databaseUser = present(databaseUser);
    databasePassword = present(databasePassword);
    defaultAccount = present(defaultAccount);
  }

  private static Optional<String> present(Optional<String> value) {
    return value == null ? Optional.empty() : value.filter(s -> !s.isBlank());
  }

  /** Whether the service runs its own embedded PostgreSQL (no external database URL configured). */
  public boolean embeddedDatabase() {
    return databaseUrl.isEmpty();
  }
}
