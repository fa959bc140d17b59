package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.interledger.spsp.StreamConnectionDetails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Metrics, request ids and logs: what an operator sees, and what must never appear in a log. */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest {
  @TempDir Path dataDir;

  @Test
  void aFullPaymentShowsInMetricsAndLeavesNoSecretInTheLog(CapturedOutput log) throws Exception {
    Map<String, String> settings =
        Map.of(
            "inlet.server-secret",
            "",
            "logging.level.dev.inlet",
            "debug",
            "logging.structured.format.console",
            "ecs");
    try (TestInlet inlet = TestInlet.start(dataDir, settings)) {
      inlet.createAccount("heidi", null);
      StreamConnectionDetails details = QuiltSender.resolve("$localhost:" + inlet.port + "/heidi");
      QuiltSender.payTo(
          inlet.ilpUrl(),
          TestInlet.connectorToken,
          details,
          50_000,
          10_000,
          Duration.ofSeconds(30));

      HttpResponse<String> metrics =
          inlet.send(
              HttpRequest.newBuilder(URI.create(inlet.managementUrl("/actuator/prometheus"))));
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains(
              "inlet_prepares_total{application=\"inlet\",code=\"none\",result=\"fulfilled\"}")
          .contains(
              "inlet_received_amount_total{application=\"inlet\",asset_code=\"USD\",asset_scale=\"9\"} 50000.0")
          .contains("inlet_packet_handling_seconds_bucket")
          .contains("inlet_ledger_batch_packets")
          .contains("inlet_ledger_commit_seconds_bucket")
          .contains("inlet_connections_open{application=\"inlet\"} 1.0");

      HttpResponse<String> traced =
          inlet.send(
              HttpRequest.newBuilder(URI.create(inlet.url("/nobody")))
                  .header("X-Request-Id", "trace-me-42"));
      assertThat(traced.headers().firstValue("X-Request-Id")).hasValue("trace-me-42");

      String output = log.getAll();
      // JSON lines, and each packet's line carries its request id.
      assertThat(output.lines().filter(line -> line.contains("Prepare of")))
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line).startsWith("{").contains("\"request_id\":\""));
      String serverSecret = Files.readString(dataDir.resolve("server-secret")).trim();
      assertThat(output)
          .doesNotContain(serverSecret)
          .doesNotContain(Base64.getEncoder().encodeToString(details.sharedSecret().key()))
          .doesNotContain(TestInlet.adminToken)
          .doesNotContain(TestInlet.connectorToken);
    }
  }
}
