package dev.inlet.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.interledger.codecs.ilp.InterledgerCodecContextFactory;
import org.interledger.codecs.stream.StreamCodecContextFactory;
import org.interledger.core.InterledgerAddress;
import org.interledger.core.InterledgerErrorCode;
import org.interledger.core.InterledgerFulfillPacket;
import org.interledger.core.InterledgerPreparePacket;
import org.interledger.core.InterledgerRejectPacket;
import org.interledger.core.InterledgerResponsePacket;
import org.interledger.encoding.asn.framework.CodecContext;
import org.interledger.spsp.StreamConnectionDetails;
import org.interledger.stream.Denomination;
import org.interledger.stream.crypto.AesGcmStreamEncryptionService;
import org.interledger.stream.receiver.SpspStreamConnectionGenerator;
import org.interledger.stream.receiver.StatelessStreamReceiver;

/**
 * A parent connector for Inlet's payouts, over ILP-over-HTTP (RFC 0035): a JDK {@link HttpServer}
 * on a free loopback port taking {@code POST /ilp} with {@code Authorization: Bearer <token>}, and
 * answering each Prepare synchronously. Prepares to its own address ({@value #address}) go to
 * Quilt's {@link StatelessStreamReceiver} (stream-receiver 1.3.1), in its asset (USD, scale 9 by
 * default, so the rate is 1); those under a {@link #route routed} prefix are forwarded to another
 * ILP-over-HTTP endpoint (such as an Inlet's {@code /ilp}); others are rejected F02.
 *
 * <p>{@code GET /spsp/<name>} is an SPSP receiver (RFC 0009, {@code application/spsp4+json}): a new
 * destination under {@value #address} and its shared secret, from Quilt's receiver. Other paths are
 * 404.
 *
 * <p>It counts what its receiver got per connection (destination address), so tests compare what
 * Inlet says it sent with what arrived. Options: a {@link #maxPacketAmount} (F08 with the RFC 0027
 * data {@code receivedAmount|maximumAmount}), {@link #rejectEverything}, an answer {@link #delay},
 * an SPSP answer {@link #spspWithoutSecret without its shared secret}.
 */
final class QuiltParent implements AutoCloseable {
  static final String address = "test.parent";

  private static final int fulfillType = 13;

  private final CodecContext ilp = InterledgerCodecContextFactory.oer();
  private final StatelessStreamReceiver receiver;
  private final Denomination denomination;
  private final String token;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();
  private final AtomicInteger fulfilled = new AtomicInteger();
  private final AtomicInteger prepares = new AtomicInteger();
  private final AtomicInteger tooLarge = new AtomicInteger();

  /** Prepares larger than this are rejected F08 (0: no maximum). */
  volatile long maxPacketAmount;

  /** Every Prepare is rejected with this code (null: none is). */
  volatile InterledgerErrorCode rejectEverything;

  /** How long each answer waits (after the receiver answered, before it is written). */
  volatile Duration delay = Duration.ZERO;

  /** SPSP answers leave out {@code shared_secret}. */
  volatile boolean spspWithoutSecret;

  /** An asset code the SPSP answer claims in {@code asset_info} (scale 9), not the receiver's. */
  volatile String spspAssetCode;

  /**
   * How the answer to a Prepare with money is lost after its receiver answered (null: it is not).
   */
  volatile LostAnswer loseMoneyAnswers;

  /** An answer lost after the money arrived: Inlet cannot know whether it did. */
  enum LostAnswer {
    /** 200 with bytes that are no ILP packet. */
    GARBAGE,
    /** The connection closes without a response. */
    DISCONNECT
  }

  private record Route(URI endpoint, String token) {}

  /** Starts a parent whose {@code /ilp} takes {@code token}, its receiver in USD, scale 9. */
  QuiltParent(String token) throws IOException {
    this(token, "USD", 9);
  }

  QuiltParent(String token, String assetCode, int assetScale) throws IOException {
    this.token = token;
    byte[] serverSecret = new byte[32];
    new SecureRandom().nextBytes(serverSecret);
    this.receiver =
        new StatelessStreamReceiver(
            () -> serverSecret,
            new SpspStreamConnectionGenerator(),
            new AesGcmStreamEncryptionService(),
            StreamCodecContextFactory.oer());
    this.denomination =
        Denomination.builder().assetCode(assetCode).assetScale((short) assetScale).build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/ilp", this::ilp);
    server.createContext("/spsp/", this::spsp);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Inlet's {@code inlet.uplink.url}. */
  String ilpUrl() {
    return "http://127.0.0.1:" + port() + "/ilp";
  }

  /** An SPSP URL of this parent's receiver. */
  String spspUrl(String name) {
    return "http://127.0.0.1:" + port() + "/spsp/" + name;
  }

  /**
   * Forwards Prepares whose destination starts with {@code prefix} to the ILP-over-HTTP endpoint
   * {@code endpoint} with {@code bearer}, and returns its answer.
   */
  void route(String prefix, String endpoint, String bearer) {
    routes.put(prefix, new Route(URI.create(endpoint), bearer));
  }

  /** What this parent's receiver got on the connection of {@code destination}, in its units. */
  long received(String destination) {
    AtomicLong total = received.get(destination);
    return total == null ? 0 : total.get();
  }

  /** What this parent's receiver got in all. */
  long received() {
    return received.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** The receiver's connections (destination addresses) that got money, and how much each. */
  Map<String, Long> receivedByConnection() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    received.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Prepares with money fulfilled by this parent's receiver. */
  int fulfilledPackets() {
    return fulfilled.get();
  }

  /** Prepares that reached this parent (every one, probes too). */
  int prepares() {
    return prepares.get();
  }

  /** Prepares rejected F08 for {@link #maxPacketAmount}. */
  int tooLarge() {
    return tooLarge.get();
  }

  private void ilp(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      InterledgerPreparePacket prepare;
      try {
        prepare = ilp.read(InterledgerPreparePacket.class, new ByteArrayInputStream(body));
      } catch (IOException | RuntimeException e) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      prepares.incrementAndGet();
      byte[] answer = answer(prepare, body);
      Duration wait = delay;
      if (!wait.isZero()) {
        Thread.sleep(wait.toMillis());
      }
      // Only Fulfills are lost (the money moved); rejected probes still come back.
      LostAnswer lost = answer[0] == fulfillType ? loseMoneyAnswers : null;
      if (lost == LostAnswer.DISCONNECT) {
        return; // closed unanswered
      }
      if (lost == LostAnswer.GARBAGE) {
        answer = "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.US_ASCII);
      }
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException gone) {
      // Inlet went away before its answer (a killed child): the answer is lost, as on the wire.
    }
  }

  private byte[] answer(InterledgerPreparePacket prepare, byte[] body)
      throws IOException, InterruptedException {
    long amount = prepare.getAmount().longValue();
    InterledgerErrorCode everything = rejectEverything;
    if (everything != null) {
      return reject(everything, "rejecting everything", new byte[0]);
    }
    long max = maxPacketAmount;
    if (max != 0 && Long.compareUnsigned(amount, max) > 0) {
      tooLarge.incrementAndGet();
      // RFC 0027 F08 data: the amount received and the maximum, both UInt64.
      byte[] data = ByteBuffer.allocate(16).putLong(amount).putLong(max).array();
      return reject(InterledgerErrorCode.F08_AMOUNT_TOO_LARGE, "Amount too large", data);
    }
    String destination = prepare.getDestination().getValue();
    if (destination.startsWith(address + ".")) {
      InterledgerResponsePacket response =
          receiver.receiveMoney(prepare, InterledgerAddress.of(address), denomination);
      if (response instanceof InterledgerFulfillPacket && amount != 0) {
        received.computeIfAbsent(destination, d -> new AtomicLong()).addAndGet(amount);
        fulfilled.incrementAndGet();
      }
      return write(response);
    }
    for (Map.Entry<String, Route> route : routes.entrySet()) {
      if (destination.startsWith(route.getKey())) {
        return forward(route.getValue(), body);
      }
    }
    return reject(InterledgerErrorCode.F02_UNREACHABLE, "no route to " + destination, new byte[0]);
  }

  private byte[] forward(Route route, byte[] body) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(route.endpoint())
                .header("Authorization", "Bearer " + route.token())
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200 || r.body().length == 0) {
      return reject(
          InterledgerErrorCode.T01_PEER_UNREACHABLE, "next hop: " + r.statusCode(), new byte[0]);
    }
    if (r.body()[0] == fulfillType) {
      fulfilled.incrementAndGet();
    }
    return r.body();
  }

  private byte[] reject(InterledgerErrorCode code, String message, byte[] data) throws IOException {
    return write(
        InterledgerRejectPacket.builder()
            .code(code)
            .triggeredBy(InterledgerAddress.of(address))
            .message(message)
            .data(data)
            .build());
  }

  private byte[] write(InterledgerResponsePacket packet) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ilp.write(packet, out);
    return out.toByteArray();
  }

  private void spsp(HttpExchange exchange) throws IOException {
    try (exchange) {
      StreamConnectionDetails details = receiver.setupStream(InterledgerAddress.of(address));
      Map<String, String> answer = new java.util.LinkedHashMap<>();
      answer.put("destination_account", details.destinationAddress().getValue());
      if (!spspWithoutSecret) {
        answer.put(
            "shared_secret", Base64.getEncoder().encodeToString(details.sharedSecret().key()));
      }
      Map<String, Object> body0 = new java.util.LinkedHashMap<>(answer);
      if (spspAssetCode != null) {
        body0.put("asset_info", Map.of("code", spspAssetCode, "scale", 9));
      }
      byte[] body = TestInlet.json.writeValueAsString(body0).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/spsp4+json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
