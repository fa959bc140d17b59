package dev.inlet.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The JavaScript reference connector for integration tests: {@code src/test/node/connector.js}
 * (ilp-connector with a BTP child "inlet", whose server it is, and a mini-accounts child "peer")
 * and {@code party.js} STREAM parties on "peer", run by Node from the {@link NodeHarness} in {@code
 * target/node-harness}.
 *
 * <p>Closing stops every process it started, their children too; each also exits by itself when its
 * stdin closes, so a JVM that dies leaves none behind.
 */
final class JsConnector implements AutoCloseable {
  private static final Duration readyTimeout = Duration.ofSeconds(60);
  private static final Duration answerTimeout = Duration.ofSeconds(90);

  /** The connector's ILP address. */
  final String address;

  final int btpPort;
  final String secret;
  final int miniAccountsPort;

  private final NodeProcess connector;
  private final List<NodeProcess> parties = new ArrayList<>();

  private JsConnector(NodeProcess connector, JsonNode ready) {
    this.connector = connector;
    this.address = ready.get("address").asString();
    this.btpPort = ready.get("btpPort").asInt();
    this.secret = ready.get("secret").asString();
    this.miniAccountsPort = ready.get("miniAccountsPort").asInt();
  }

  /** Installs the harness if needed and starts the connector; returns once it is ready. */
  static JsConnector start() throws IOException, InterruptedException {
    return start(List.of());
  }

  /** A connector whose BTP server takes {@code btpPort} and {@code secret}: a parent restarted. */
  static JsConnector restart(int btpPort, String secret) throws IOException, InterruptedException {
    return start(List.of(String.valueOf(btpPort), secret));
  }

  private static JsConnector start(List<String> args) throws IOException, InterruptedException {
    NodeHarness.install();
    List<String> command = new ArrayList<>(List.of("node", "connector.js"));
    command.addAll(args);
    NodeProcess node = NodeProcess.start("connector", command);
    try {
      return new JsConnector(node, node.readLine(readyTimeout));
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** Inlet's {@code INLET_UPLINK_URL}: the connector's BTP server, as account "inlet". */
  String btpUrl() {
    return "btp+ws://inlet:" + secret + "@127.0.0.1:" + btpPort;
  }

  /** A new STREAM party on the connector's "peer" account ({@code party.js}). */
  Party party() throws IOException {
    NodeProcess node =
        NodeProcess.start("party", List.of("node", "party.js", String.valueOf(miniAccountsPort)));
    synchronized (parties) {
      parties.add(node);
    }
    return new Party(node);
  }

  @Override
  public void close() {
    synchronized (parties) {
      parties.forEach(NodeProcess::close);
      parties.clear();
    }
    connector.close();
  }

  /** One {@code party.js}: a request line in, an answer line out. */
  static final class Party {
    private final NodeProcess node;

    private Party(NodeProcess node) {
      this.node = node;
    }

    /** A new STREAM server connection: {@code destination_account} and {@code shared_secret}. */
    JsonNode receive() throws IOException {
      return call(Map.of("op", "receive"));
    }

    /** What this party's receiver got in all, in its units. */
    long total() throws IOException {
      return Long.parseLong(call(Map.of("op", "total")).get("total").asString());
    }

    /**
     * Pays {@code amount} to a STREAM receiver: {@code sent} and {@code delivered}, or {@code
     * error}.
     */
    JsonNode pay(String destination, String sharedSecretBase64, long amount) throws IOException {
      return call(
          Map.of(
              "op",
              "pay",
              "destination_account",
              destination,
              "shared_secret",
              sharedSecretBase64,
              "amount",
              Long.toString(amount)));
    }

    /**
     * An SPSP URL ({@code http://127.0.0.1:<port>/}) of this party's receiver: each query a new
     * connection, all counted in {@link #total}.
     */
    String spspUrl() throws IOException {
      return call(Map.of("op", "spsp")).get("url").asString();
    }

    /**
     * Pays as {@link #pay} on a connection that told the receiver its address ({@code
     * ConnectionNewAddress}) and stays open, taking money on the streams the receiver opens: {@code
     * id}, {@code sent}, {@code delivered}, {@code source_account}, or {@code error}.
     */
    JsonNode payAndStay(String destination, String sharedSecretBase64, long amount)
        throws IOException {
      return call(
          Map.of(
              "op",
              "pay_open",
              "destination_account",
              destination,
              "shared_secret",
              sharedSecretBase64,
              "amount",
              Long.toString(amount)));
    }

    /** What arrived on the streams the receiver opened on connection {@code id} of payAndStay. */
    long refunds(String id) throws IOException {
      JsonNode answer = call(Map.of("op", "refunds", "id", id));
      if (answer.has("error")) {
        throw new IOException(answer.get("error").asString());
      }
      return Long.parseLong(answer.get("received").asString());
    }

    /**
     * Redeems a pointer that pays out (a voucher's or mandate's SPSP URL) as a STREAM client taking
     * at most {@code receiveMax}: {@code received}, {@code ended_by}, {@code error}.
     */
    JsonNode redeem(String spspUrl, long receiveMax) throws IOException {
      return call(
          Map.of(
              "op",
              "redeem",
              "spsp_url",
              spspUrl,
              "receive_max",
              Long.toString(receiveMax),
              "wait_ms",
              "30000"));
    }

    /** Ends connection {@code id} of payAndStay. */
    void close(String id) throws IOException {
      call(Map.of("op", "close", "id", id));
    }

    JsonNode call(Map<String, String> request) throws IOException {
      node.writeLine(TestInlet.json.writeValueAsString(request));
      return node.readLine(answerTimeout);
    }
  }
}
