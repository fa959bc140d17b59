package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of Inlet's JVM alone leaves its embedded PostgreSQL running on the data
 * directory. The next start stops that server and starts its own; a server whose Inlet still runs
 * is not touched, and the second Inlet refuses to start, naming the server's PID.
 */
class KilledJvmRestartTest {
  /** Longest the restarted Inlet may take, the left-behind server's shutdown included. */
  private static final Duration restartTimeout = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  @Test
  void startsAgainAfterSigkillOfTheJvmWithTheLedgerIntact() throws Exception {
    int port = ChildInlet.freePort();
    int ilpPort = ChildInlet.freePort();
    Process child = ChildInlet.start(dataDir, port, ilpPort);
    Optional<ProcessHandle> postmaster = Optional.empty();
    try {
      ChildInlet.awaitReady(port);
      HttpResponse<String> created =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/accounts"))
                      .header("Authorization", "Bearer " + TestInlet.adminToken)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"dana\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(201);
      QuiltSender.payTo(
          "http://localhost:" + ilpPort + "/ilp",
          TestInlet.connectorToken,
          QuiltSender.resolve("$localhost:" + port + "/dana"),
          42_000,
          10_000,
          Duration.ofSeconds(30));
      postmaster = ProcessHandle.of(postmasterPid());
      assertThat(postmaster).isPresent();

      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(500);
      assertThat(postmaster.get().isAlive()).as("the postmaster outlives the killed JVM").isTrue();

      long started = System.nanoTime();
      try (TestInlet again = TestInlet.start(dataDir)) {
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(restartTimeout);
        assertThat(postmaster.get().isAlive()).as("the left-behind postmaster").isFalse();
        assertThat(postmasterPid()).isNotEqualTo(postmaster.get().pid());
        assertThat(again.balance("dana")).isEqualTo(42_000L);
        assertThat(again.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
      }
    } finally {
      child.destroyForcibly();
      postmaster.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroy);
    }
  }

  @Test
  void refusesADataDirectoryWhoseServerBelongsToARunningInletNamingItsPid() throws Exception {
    try (TestInlet first = TestInlet.start(dataDir)) {
      long pid = postmasterPid();
      assertThatThrownBy(() -> TestInlet.start(dataDir).close())
          .rootCause()
          .hasMessageContaining("PID " + pid)
          .hasMessageContaining(dataDir.resolve("postgres").toString())
          .hasMessageContaining("another Inlet");
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
      assertThat(first.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
    }
  }

  private long postmasterPid() throws Exception {
    return Long.parseLong(
        Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).strip());
  }
}
