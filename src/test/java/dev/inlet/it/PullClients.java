package dev.inlet.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code src/test/node/pull-client.js}: JavaScript reference STREAM clients (ilp-protocol-stream)
 * that redeem Inlet's vouchers and mandates without a connector. Start it before Inlet: Inlet's
 * uplink is {@link #uplinkUrl}, where the clients receive what Inlet pushes; they send their own
 * packets to Inlet's {@code /ilp}.
 */
final class PullClients implements AutoCloseable {
  private static final Duration readyTimeout = Duration.ofSeconds(60);

  private final NodeProcess node;
  private final int port;

  private PullClients(NodeProcess node, int port) {
    this.node = node;
    this.port = port;
  }

  static PullClients start() throws IOException, InterruptedException {
    NodeHarness.install();
    NodeProcess node = NodeProcess.start("pull-client", List.of("node", "pull-client.js"));
    try {
      return new PullClients(node, node.readLine(readyTimeout).get("port").asInt());
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** Inlet's {@code INLET_UPLINK_URL}. */
  String uplinkUrl() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** The settings of an Inlet whose uplink these clients are. */
  Map<String, String> uplinkSettings() {
    return Map.of(
        "inlet.uplink.url",
        uplinkUrl(),
        "inlet.uplink.token",
        "uplink-token-at-least-32-characters-long");
  }

  /** What one client got, in its units, and what ended its wait. */
  record Redemption(long received, String endedBy, String error) {}

  /**
   * Runs {@code clients} clients at once, client i on Inlet {@code inlets.get(i % n)}: each queries
   * {@code path} there (e.g. {@code /vouchers/<code>}), connects and takes up to {@code receiveMax}
   * until the stream or connection ends or {@code wait} passes.
   */
  List<Redemption> redeem(
      List<TestInlet> inlets, String path, long receiveMax, int clients, Duration wait)
      throws IOException {
    List<Map<String, String>> targets = new ArrayList<>();
    for (TestInlet inlet : inlets) {
      targets.add(Map.of("spsp_url", inlet.url(path), "ilp_url", inlet.ilpUrl()));
    }
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("op", "redeem");
    request.put("targets", targets);
    request.put("ilp_token", TestInlet.connectorToken);
    request.put("receive_max", Long.toUnsignedString(receiveMax));
    request.put("clients", clients);
    request.put("wait_ms", wait.toMillis());
    request.put("asset_code", "USD");
    request.put("asset_scale", 9);
    node.writeLine(TestInlet.json.writeValueAsString(request));
    JsonNode answer = node.readLine(wait.plus(Duration.ofSeconds(60)));
    if (answer.has("error")) {
      throw new IOException(answer.get("error").asString());
    }
    List<Redemption> results = new ArrayList<>();
    for (JsonNode r : answer.get("results")) {
      results.add(
          new Redemption(
              Long.parseUnsignedLong(r.get("received").asString()),
              r.get("ended_by").asString(),
              r.get("error").isNull() ? null : r.get("error").asString()));
    }
    return results;
  }

  /**
   * Makes the path to the clients narrow and slow: Prepares above {@code maxPacketAmount} get F08
   * (0: no limit), each waits {@code delay} first.
   */
  void path(long maxPacketAmount, Duration delay) throws IOException {
    node.writeLine(
        TestInlet.json.writeValueAsString(
            Map.of(
                "op",
                "path",
                "max_packet_amount",
                Long.toString(maxPacketAmount),
                "delay_ms",
                delay.toMillis())));
    node.readLine(Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    node.close();
  }
}
