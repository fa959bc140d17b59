package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.uplink.IlpIdentity;
import dev.inlet.uplink.Uplink;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import tools.jackson.databind.JsonNode;

/**
 * Inlet as a BTP child of the JavaScript reference connector (ilp-connector 23, {@link
 * JsConnector}): with {@code INLET_UPLINK_URL=btp+ws://…} and no {@code INLET_ILP_ADDRESS} it
 * learns its address over ILDCP, becomes ready, and a STREAM sender (ilp-protocol-stream) on
 * another child of the connector pays an Inlet account through the connector, the Prepares coming
 * to Inlet over BTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectorUplinkTest {
  @TempDir static Path dataDir;
  static ConnectorChild child;
  static JsConnector connector;
  static TestInlet inlet;

  @BeforeAll
  static void start() throws Exception {
    child = ConnectorChild.start(dataDir, Map.of("inlet.uplink.reconnect-max-delay", "2s"));
    connector = child.connector();
    inlet = child.inlet();
  }

  @AfterAll
  static void stop() {
    try {
      if (child != null) {
        child.close();
      }
    } finally {
      // The last test restarts the connector: that one is not the child's.
      if (connector != null && (child == null || connector != child.connector())) {
        connector.close();
      }
    }
  }

  @Test
  void learnsItsAddressFromTheConnectorOverIldcpAndIsReady() throws Exception {
    IlpIdentity identity = inlet.bean(IlpIdentity.class);
    assertThat(identity.address().value()).isEqualTo(connector.address + ".inlet");
    assertThat(identity.assetCode()).isEqualTo("USD");
    assertThat(identity.assetScale()).isEqualTo(9);
    assertThat(inlet.bean(Uplink.class).state()).isEqualTo(Uplink.State.UP);
    HttpResponse<String> ready =
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/readyz"))).GET());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    HealthIndicator uplink = inlet.beans(HealthIndicator.class).get("uplinkHealthIndicator");
    assertThat(uplink.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void aStreamSenderOnAnotherChildPaysAnInletAccountThroughTheConnector() throws Exception {
    inlet.createAccount("carol", null);
    JsonNode spsp = spsp("/carol");
    String destination = spsp.get("destination_account").asString();
    assertThat(destination).startsWith(connector.address + ".inlet.carol.");

    JsonNode paid =
        connector.party().pay(destination, spsp.get("shared_secret").asString(), 2_500_000);

    assertThat(paid.has("error")).as(paid.toString()).isFalse();
    long delivered = Long.parseLong(paid.get("delivered").asString());
    assertThat(delivered).isEqualTo(2_500_000L);
    assertThat(inlet.balance("carol")).isEqualTo(delivered);
    HttpResponse<String> check = inlet.adminGet("/admin/ledger/check");
    assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
    assertThat(TestInlet.json.readTree(check.body()).get("consistent").asBoolean()).isTrue();
    HttpResponse<String> metrics =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.managementUrl("/actuator/prometheus"))).GET());
    assertThat(metrics.body()).contains("inlet_uplink_state{").contains("state=\"up\"");
  }

  @Test
  void sendsAPrepareOutThroughTheConnectorAndReturnsTheReceiversReject() throws Exception {
    JsonNode receiver = connector.party().receive();
    IlpPrepare prepare =
        new IlpPrepare(
            10,
            Instant.now().plusSeconds(30),
            new byte[32],
            IlpAddress.of(receiver.get("destination_account").asString()),
            new byte[] {1, 2, 3});

    IlpPacket answer = inlet.bean(Uplink.class).send(prepare).get(30, TimeUnit.SECONDS);

    assertThat(answer).isInstanceOf(IlpReject.class);
    IlpReject reject = (IlpReject) answer;
    // The JS receiver's own Reject (its data does not decrypt): it went out over BTP and came back.
    assertThat(reject.code().code()).as(reject.toString()).startsWith("F");
    assertThat(reject.triggeredBy().orElseThrow().value()).startsWith(connector.address + ".peer.");
    HttpResponse<String> metrics =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.managementUrl("/actuator/prometheus"))).GET());
    assertThat(metrics.body())
        .containsPattern("inlet_packets_sent_total\\{[^}]*class=\"F\"[^}]*result=\"rejected\"");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void isNotReadyWhileTheConnectorIsGoneAndReconnectsWhenItIsBack() throws Exception {
    connector.close();
    assertThat(readyzOnceNot(200)).isEqualTo(503);
    assertThat(inlet.bean(Uplink.class).state()).isNotEqualTo(Uplink.State.UP);

    connector = JsConnector.restart(connector.btpPort, connector.secret);
    assertThat(readyzOnceNot(503)).isEqualTo(200);
    assertThat(inlet.bean(Uplink.class).state()).isEqualTo(Uplink.State.UP);
    inlet.createAccount("dave", null);
    JsonNode spsp = spsp("/dave");
    JsonNode paid =
        connector
            .party()
            .pay(
                spsp.get("destination_account").asString(),
                spsp.get("shared_secret").asString(),
                1000);
    assertThat(paid.has("error")).as(paid.toString()).isFalse();
    assertThat(inlet.balance("dave")).isEqualTo(Long.parseLong(paid.get("delivered").asString()));
  }

  /** /readyz's status once it is not {@code status} any more, or after 20 s. */
  private static int readyzOnceNot(int status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int now;
    do {
      Thread.sleep(100);
      now = inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/readyz"))).GET()).statusCode();
    } while (now == status && System.nanoTime() < deadline);
    return now;
  }

  private static JsonNode spsp(String path) {
    HttpResponse<String> r =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url(path)))
                .header("Accept", "application/spsp4+json")
                .timeout(Duration.ofSeconds(10))
                .GET());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
  }
}
