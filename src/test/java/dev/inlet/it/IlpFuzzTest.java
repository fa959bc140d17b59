package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.DecryptionException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Throws 10,000 bodies at {@code /ilp} — random bytes, mutated Prepares, and well-formed Prepares
 * with random frames and amounts — and checks each answer: a 200 with a Fulfill or Reject that is
 * right for the Prepare, or a 4xx problem document for a body that is not one; never a 5xx.
 * Afterwards the ledger must balance and the account must hold exactly what was fulfilled.
 */
class IlpFuzzTest extends InletPerClass {
  static final long seed = 0x1F_A11_5EEDL;
  static final int bodies = 10_000;
  static final int window = 16;
  static final int connectionsPerAccount = 100;

  /** Receives the well-formed Prepares. */
  static final String account = "fuzz";

  /**
   * Receives the mutated ones: a flipped high bit in an amount can credit nearly 2^64, which would
   * leave every later Prepare to {@link #account} refused as an overflow.
   */
  static final String mutatedAccount = "fuzz-mutated";

  static final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** The connections the fuzzer pays on, by their token (the address segment after the account). */
  private final Map<String, TestSender> connections = new ConcurrentHashMap<>();

  /** Each connection's account, by token. */
  private final Map<String, String> accountOf = new ConcurrentHashMap<>();

  /** What a Fulfill credited, per connection token and sequence. */
  private final Map<Credit, Long> credited = new ConcurrentHashMap<>();

  private final Queue<String> failures = new ConcurrentLinkedQueue<>();

  @Test
  void everyBodyGetsAnIlpAnswerOrAProblemAndOnlyFulfilledMoneyIsCredited() throws Exception {
    FuzzBodies generator =
        new FuzzBodies(new Random(seed), openConnections(account), openConnections(mutatedAccount));
    Semaphore inFlight = new Semaphore(window);

    for (int i = 0; i < bodies; i++) {
      byte[] body = generator.next();
      inFlight.acquire();
      http.sendAsync(ilpRequest(body).build(), HttpResponse.BodyHandlers.ofByteArray())
          .whenComplete(
              (response, error) -> {
                try {
                  if (error != null) {
                    failures.add("request failed: " + error);
                  } else {
                    check(body, response);
                  }
                } catch (RuntimeException | AssertionError e) {
                  failures.add("checking " + hex(body) + ": " + e);
                } finally {
                  inFlight.release();
                }
              });
    }
    assertThat(inFlight.tryAcquire(window, 60, TimeUnit.SECONDS))
        .as("all answers within a minute")
        .isTrue();

    assertThat(failures.size())
        .as("seed %d, first failures: %s", seed, failures.stream().limit(20).toList())
        .isZero();
    assertThat(generator.validPrepares).isGreaterThan(bodies / 4);
    assertThat(credited).as("fulfilled packets with money").hasSizeGreaterThan(500);
    HttpResponse<String> check = inlet.adminGet("/admin/ledger/check");
    assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
    assertThat(TestInlet.json.readTree(check.body()).get("consistent").asBoolean()).isTrue();
    assertThat(balance(account)).isEqualTo(fulfilled(account));
    assertThat(balance(mutatedAccount)).isEqualTo(fulfilled(mutatedAccount));
  }

  @Test
  void noBearerTokenIs401() {
    byte[] body = TestSender.randomBytes(100);
    HttpResponse<String> none =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.ilpUrl()))
                .POST(BodyPublishers.ofByteArray(body)));
    HttpResponse<String> wrong =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.ilpUrl()))
                .header("Authorization", "Bearer " + TestInlet.adminToken)
                .POST(BodyPublishers.ofByteArray(body)));

    assertProblem(none, 401);
    assertProblem(wrong, 401);
    // The same answer as WebFlux's routes give: header and bytes.
    HttpResponse<String> admin =
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/admin/ledger/check"))));
    for (HttpResponse<String> r : List.of(none, wrong)) {
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(r.body()).isEqualTo(admin.body());
    }
  }

  @Test
  void bodyLongerThanTheLargestPrepareIs413() {
    byte[] body = TestSender.randomBytes(IlpCodec.maxPrepareBytes + 1);

    assertProblem(inlet.send(ilpRequest(body)), 413);
    // Without a Content-Length (chunked), the limit is enforced while reading.
    assertProblem(
        inlet.send(ilpRequest(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))),
        413);
  }

  @Test
  void emptyBodyIs400() {
    assertProblem(inlet.send(ilpRequest(new byte[0])), 400);
  }

  // --- checking one answer ---

  /**
   * The answer to one body: 200 with the right ILP packet for a Prepare, a 4xx problem otherwise.
   */
  private void check(byte[] body, HttpResponse<byte[]> response) {
    IlpPrepare prepare = decodePrepare(body);
    int status = response.statusCode();
    if (prepare == null) {
      if (status != 400 || !isProblem(response)) {
        failures.add(
            "not a Prepare, answered " + status + " " + contentType(response) + ": " + hex(body));
      }
      return;
    }
    if (status != 200) {
      failures.add(
          "a Prepare answered " + status + " " + new String(response.body()) + ": " + prepare);
      return;
    }
    IlpPacket answer;
    try {
      answer = IlpCodec.decode(response.body());
    } catch (DecodeException e) {
      failures.add("answer is not an ILP packet: " + hex(response.body()));
      return;
    }
    String token = tokenOf(prepare.destination().value());
    TestSender connection = token == null ? null : connections.get(token);
    StreamPacket stream = connection == null ? null : open(connection, prepare.data());
    if (answer instanceof IlpFulfill fulfill) {
      checkFulfill(prepare, fulfill, token, connection, stream);
    } else if (answer instanceof IlpReject reject) {
      checkReject(prepare, reject, connection, stream);
    } else {
      failures.add("answered with a Prepare: " + prepare);
    }
  }

  private void checkFulfill(
      IlpPrepare prepare,
      IlpFulfill fulfill,
      String token,
      TestSender connection,
      StreamPacket stream) {
    if (stream == null) {
      failures.add("fulfilled a Prepare that does not decrypt: " + prepare);
      return;
    }
    if (!Arrays.equals(sha256(fulfill.fulfillment()), prepare.executionCondition())) {
      failures.add("fulfillment does not match the condition: " + prepare);
    }
    checkReply(
        connection, fulfill.data(), IlpPacketType.FULFILL, stream.sequence(), prepare.amount());
    if (prepare.amount() != 0) {
      Long before = credited.putIfAbsent(new Credit(token, stream.sequence()), prepare.amount());
      if (before != null && before != prepare.amount()) {
        failures.add(
            "sequence "
                + stream.sequence()
                + " fulfilled for "
                + Long.toUnsignedString(before)
                + " and "
                + Long.toUnsignedString(prepare.amount()));
      }
    }
  }

  private void checkReject(
      IlpPrepare prepare, IlpReject reject, TestSender connection, StreamPacket stream) {
    String code = reject.code().code();
    if (code.equals(IlpErrorCode.F99_APPLICATION_ERROR.code())) {
      if (stream == null) {
        failures.add("F99 for a Prepare that does not decrypt: " + prepare);
      } else {
        checkReply(
            connection, reject.data(), IlpPacketType.REJECT, stream.sequence(), prepare.amount());
      }
    } else if (code.equals(IlpErrorCode.F06_UNEXPECTED_PAYMENT.code())) {
      if (stream != null) {
        failures.add("F06 for a Prepare that decrypts: " + prepare + " " + stream);
      }
    } else if (!code.equals(IlpErrorCode.R00_TRANSFER_TIMED_OUT.code())) {
      // T00 would mean the ledger failed on the packet; nothing else is the receiver's to send.
      failures.add("rejected " + code + " (" + reject.message() + "): " + prepare);
    }
  }

  /**
   * The STREAM reply: for this connection and packet type, same sequence, and the amount that
   * arrived.
   */
  private void checkReply(
      TestSender connection, byte[] data, IlpPacketType type, long sequence, long amount) {
    StreamPacket reply = connection.decrypt(data);
    if (reply == null
        || reply.ilpPacketType() != type
        || reply.sequence() != sequence
        || reply.prepareAmount() != amount) {
      failures.add(
          "reply " + reply + " to sequence " + sequence + " of " + Long.toUnsignedString(amount));
    }
  }

  /**
   * The STREAM Prepare in {@code data}, as the receiver would read it, or null when it would not.
   */
  private static StreamPacket open(TestSender connection, byte[] data) {
    try {
      StreamPacket packet = StreamCodec.decode(connection.keys.decrypt(data));
      return packet.ilpPacketType() == IlpPacketType.PREPARE ? packet : null;
    } catch (DecryptionException | DecodeException e) {
      return null;
    }
  }

  static IlpPrepare decodePrepare(byte[] body) {
    try {
      return IlpCodec.decodePrepare(body);
    } catch (DecodeException e) {
      return null;
    }
  }

  /**
   * The connection token of a receiver address {@code test.inlet.<account>.<token>[...]}, or null.
   */
  private static String tokenOf(String address) {
    String prefix = TestInlet.ilpAddress + ".";
    if (!address.startsWith(prefix)) {
      return null;
    }
    String[] segments = address.substring(prefix.length()).split("\\.");
    return segments.length < 2 ? null : segments[1];
  }

  // --- bookkeeping ---

  /** A credited STREAM packet: a connection (by token) and a sequence. */
  record Credit(String token, long sequence) {}

  private List<TestSender> openConnections(String name) {
    inlet.createAccount(name, null);
    List<TestSender> senders = new ArrayList<>();
    for (int i = 0; i < connectionsPerAccount; i++) {
      TestSender sender = TestSender.open(inlet, name);
      senders.add(sender);
      connections.put(tokenOf(sender.destination.value()), sender);
      accountOf.put(tokenOf(sender.destination.value()), name);
    }
    return senders;
  }

  /** The sum of the amounts of the distinct packets fulfilled for {@code name}. */
  private BigInteger fulfilled(String name) {
    return credited.entrySet().stream()
        .filter(e -> accountOf.get(e.getKey().token()).equals(name))
        .map(e -> unsigned(e.getValue()))
        .reduce(BigInteger.ZERO, BigInteger::add);
  }

  private static BigInteger balance(String name) {
    return unsigned(inlet.balance(name));
  }

  private static BigInteger unsigned(long value) {
    return new BigInteger(Long.toUnsignedString(value));
  }

  // --- HTTP ---

  private static HttpRequest.Builder ilpRequest(byte[] body) {
    return ilpRequest(BodyPublishers.ofByteArray(body));
  }

  private static HttpRequest.Builder ilpRequest(BodyPublisher body) {
    return HttpRequest.newBuilder(URI.create(inlet.ilpUrl()))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TestInlet.connectorToken)
        .header("Content-Type", "application/octet-stream")
        .POST(body);
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(contentType(response)).isEqualTo("application/problem+json");
  }

  private static boolean isProblem(HttpResponse<?> response) {
    return response.statusCode() >= 400
        && response.statusCode() < 500
        && "application/problem+json".equals(contentType(response));
  }

  private static String contentType(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Content-Type")
        .map(v -> v.split(";")[0].trim())
        .orElse("");
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64))
        + (bytes.length > 64 ? "..." : "");
  }
}
