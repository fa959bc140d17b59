package dev.inlet.stream.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.it.NodeHarness;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sender against the JavaScript reference STREAM server (ilp-protocol-stream), run by Node
 * behind a small HTTP stand-in for an ILP plugin ({@code src/test/node/stream-receiver.js}), from
 * the repository's Node harness ({@link NodeHarness}: {@code npm ci} of its lock file, once).
 */
class JsReferenceReceiverTest {
  private static final AssetDetails usd = new AssetDetails("USD", 9);
  private static final AssetDetails xrp = new AssetDetails("XRP", 6);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final HttpClient http = HttpClient.newHttpClient();
  private Process node;

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    if (node != null) {
      node.destroy();
    }
  }

  private record JsReceiver(int port, IlpAddress destination, byte[] secret) {}

  private JsReceiver start(String receiveMax) throws Exception {
    Path harness = NodeHarness.install();
    ProcessBuilder builder = new ProcessBuilder("node", "stream-receiver.js", receiveMax);
    builder.directory(harness.toFile());
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    node = builder.start();
    String line =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    Matcher m =
        Pattern.compile("\\{\"port\":(\\d+),\"destination\":\"([^\"]+)\",\"secret\":\"([^\"]+)\"}")
            .matcher(line);
    assertTrue(m.matches(), line);
    return new JsReceiver(
        Integer.parseInt(m.group(1)),
        IlpAddress.of(m.group(2)),
        Base64.getDecoder().decode(m.group(3)));
  }

  private Function<IlpPrepare, IlpPacket> over(JsReceiver js) {
    return prepare -> {
      try {
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + js.port() + "/"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(IlpCodec.encode(prepare)))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return IlpCodec.decode(r.body());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  private long received(JsReceiver js) throws Exception {
    return Long.parseLong(
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + js.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private SendResult pay(
      JsReceiver js,
      long amount,
      Optional<AssetDetails> expected,
      TestConnector connector,
      RecordingSendLog log)
      throws Exception {
    SendRequest request =
        SendRequest.newConnection(
                js.destination(),
                js.secret(),
                amount,
                usd,
                Optional.of(IlpAddress.of("test.sender")),
                expected)
            .withLimits(SenderLimits.defaults().withIdleTimeout(Duration.ofSeconds(10)));
    SendResult result =
        new StreamSender(scheduler, Clock.systemUTC())
            .send(request, connector, log)
            .get(30, TimeUnit.SECONDS);
    log.assertConsistent();
    return result;
  }

  @Test
  void paysTheReferenceReceiverInFull() throws Exception {
    JsReceiver js = start("1000000000000");
    TestConnector.Events events = new TestConnector.Events();
    TestConnector connector = new TestConnector(over(js), js.secret(), events);
    connector.rateDenominator = BigInteger.valueOf(1_000);
    connector.maxPacketAmount = 1_000_000;
    RecordingSendLog log = new RecordingSendLog(events);
    SendResult result = pay(js, 10_000_000, Optional.empty(), connector, log);

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(10_000_000, result.sent());
    assertEquals(10_000, result.delivered());
    assertEquals(10_000, received(js));
    // Told by the receiver in answer to ConnectionNewAddress, not taken from what was expected.
    assertEquals(Optional.of(xrp), result.receiverAsset());
  }

  @Test
  void stopsAtTheReferenceReceiversReceiveMax() throws Exception {
    JsReceiver js = start("4000");
    TestConnector.Events events = new TestConnector.Events();
    TestConnector connector = new TestConnector(over(js), js.secret(), events);
    connector.rateDenominator = BigInteger.valueOf(1_000);
    connector.maxPacketAmount = 1_000_000;
    RecordingSendLog log = new RecordingSendLog(events);
    SendResult result = pay(js, 10_000_000, Optional.of(xrp), connector, log);

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("receiver-limit"), result.errorSlug(), result.toString());
    assertEquals(4_000, received(js));
    assertEquals(4_000, result.delivered());
    assertEquals(4_000_000, result.sent());
  }
}
