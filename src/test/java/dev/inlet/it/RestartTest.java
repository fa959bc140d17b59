package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.interledger.spsp.StreamConnectionDetails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Inlet stopped and started again on the same data directory keeps its accounts, balances and
 * secrets.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartTest {
  @TempDir Path dataDir;

  @Test
  void balancesAccountsAndGeneratedSecretsSurviveARestart(CapturedOutput log) throws Exception {
    Map<String, String> generated = Map.of("inlet.admin-token", "", "inlet.server-secret", "");
    String adminToken;
    StreamConnectionDetails beforeRestart;
    try (TestInlet inlet = TestInlet.start(dataDir, generated)) {
      adminToken = inlet.admin;
      inlet.createAccount("carol", null);
      QuiltSender.pay(
          inlet, "$localhost:" + inlet.port + "/carol", 70_000, 10_000, Duration.ofSeconds(30));
      assertThat(inlet.balance("carol")).isEqualTo(70_000L);
      beforeRestart = QuiltSender.resolve("$localhost:" + inlet.port + "/carol");
    }
    // Generated secrets are the owner's alone, and never printed: only their location is.
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("admin-token")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("server-secret")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(log.getAll())
        .contains(dataDir.resolve("admin-token").toAbsolutePath().toString())
        .doesNotContain(adminToken)
        .doesNotContain(Files.readString(dataDir.resolve("server-secret")).trim());

    try (TestInlet inlet = TestInlet.start(dataDir, generated)) {
      assertThat(inlet.admin).isEqualTo(adminToken);
      assertThat(inlet.balance("carol")).isEqualTo(70_000L);
      assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
      // The same server secret: credentials issued before the restart still open.
      QuiltSender.payTo(
          inlet.ilpUrl(),
          TestInlet.connectorToken,
          beforeRestart,
          5_000,
          10_000,
          Duration.ofSeconds(30));
      assertThat(inlet.balance("carol")).isEqualTo(75_000L);
    }
  }
}
