package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpReject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A payout whose Fulfill is lost on the way back: the parent connector forwards the Prepare, the
 * receiver (another Inlet, which keeps its connections' totals) takes the money, and the answer
 * never reaches the payer. The packet is in doubt, its money kept reserved; then Inlet asks the
 * receiver how much arrived on the payout's stream and settles it as fulfilled — both ledgers agree
 * and nothing is listed in doubt any more.
 */
class PayoutSettlementTest {
  @TempDir static Path payerDir;
  @TempDir static Path payeeDir;
  static TestInlet payee;
  static TestInlet payer;
  static HttpServer parent;
  static final AtomicInteger fulfills = new AtomicInteger();

  /** Money in the Fulfills the parent passed back to the payer, and in the one it lost. */
  static final AtomicLong delivered = new AtomicLong();

  static final AtomicLong lost = new AtomicLong();
  static final long maxPacketAmount = 1000;

  @BeforeAll
  static void start() throws Exception {
    payee = TestInlet.start(payeeDir);
    parent = lossyParent(URI.create(payee.ilpUrl()));
    payer =
        TestInlet.start(
            payerDir,
            Map.of(
                "inlet.ilp-address", "test.payer",
                "inlet.uplink.url", "http://127.0.0.1:" + parent.getAddress().getPort() + "/ilp",
                "inlet.uplink.token", TestInlet.connectorToken,
                "inlet.spsp.allow-http", "true",
                "inlet.spsp.allow-private", "true",
                "inlet.payout.max-in-flight", "1",
                "inlet.payout.lease", "3s"));
    payer.createAccount("shop", null);
    payee.createAccount("supplier", null);
    QuiltSender.pay(
        payer, "$localhost:" + payer.port + "/shop", 10_000, 1_000, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    payer.close();
    parent.stop(0);
    payee.close();
  }

  @Test
  void aLostFulfillIsSettledByTheReceiversTotals() throws Exception {
    HttpResponse<String> created =
        payer.adminPost(
            "/admin/payouts",
            "{\"account\":\"shop\",\"receiver\":\"http://localhost:"
                + payee.port
                + "/supplier\",\"amount\":\"5000\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String id = TestInlet.json.readTree(created.body()).get("id").asString();

    // The payout stops with the packet in doubt, then the lease pass (every third of the lease)
    // asks the receiver and settles it. On a busy machine that can come before a poll sees the
    // in-doubt state, so what is asserted is what the payer can only have learnt from the
    // receiver's totals: the packet whose Fulfill was lost counted as sent.
    JsonNode settled =
        await(
            id,
            p -> !p.get("state").asString().equals("sending") && !error(p).startsWith("in-doubt"));
    assertThat(lost.get()).as("the parent lost a Fulfill").isPositive();
    long sent = Long.parseLong(settled.get("sent").asString());
    assertThat(sent).isEqualTo(delivered.get() + lost.get());
    assertThat(error(settled)).startsWith("incomplete");
    assertThat(payee.balance("supplier")).isEqualTo(sent);
    assertThat(payer.balance("shop")).isEqualTo(10_000 - sent);
    assertThat(
            TestInlet.json.readTree(payer.adminGet("/admin/payouts/in-doubt").body()).get("items"))
        .isEmpty();
    for (TestInlet inlet : new TestInlet[] {payer, payee}) {
      HttpResponse<String> check = inlet.adminGet("/admin/ledger/check");
      assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
    }
  }

  private static String error(JsonNode payout) {
    return payout.hasNonNull("error") ? payout.get("error").asString() : "";
  }

  private static JsonNode await(String id, java.util.function.Predicate<JsonNode> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode p = TestInlet.json.readTree(payer.adminGet("/admin/payouts/" + id).body());
      if (done.test(p)) {
        return p;
      }
      assertThat(System.nanoTime()).as("waiting for " + p).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /**
   * A parent connector that forwards every Prepare to {@code target} and answers what it got,
   * except for the third Prepare carrying money: it forwards that one too (the receiver takes the
   * money) but answers 502, so the payer never learns its outcome.
   */
  private static HttpServer lossyParent(URI target) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/ilp",
        exchange -> {
          byte[] prepare = exchange.getRequestBody().readAllBytes();
          if (amount(prepare) > maxPacketAmount) {
            // F08 with receivedAmount | maximumAmount (RFC 0027): the payout takes many packets.
            byte[] reject =
                IlpCodec.encode(
                    new IlpReject(
                        IlpErrorCode.F08_AMOUNT_TOO_LARGE,
                        Optional.of(IlpAddress.of("test.parent")),
                        "",
                        ByteBuffer.allocate(16)
                            .putLong(amount(prepare))
                            .putLong(maxPacketAmount)
                            .array()));
            exchange.sendResponseHeaders(200, reject.length);
            exchange.getResponseBody().write(reject);
            exchange.close();
            return;
          }
          try {
            HttpResponse<byte[]> answer =
                http.send(
                    HttpRequest.newBuilder(target)
                        .header("Authorization", "Bearer " + TestInlet.connectorToken)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(prepare))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            boolean fulfilled = answer.body().length > 0 && answer.body()[0] == 13;
            boolean money = fulfilled && amount(prepare) > 0;
            if (money && fulfills.incrementAndGet() == 2) {
              lost.addAndGet(amount(prepare));
              exchange.sendResponseHeaders(502, -1);
            } else {
              if (money) {
                delivered.addAndGet(amount(prepare));
              }
              exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
              exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
              exchange.getResponseBody().write(answer.body());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(500, -1);
          } finally {
            exchange.close();
          }
        });
    server.start();
    return server;
  }

  /** The amount of an OER ILP Prepare: type, a length of 1 or 1+n bytes, then the UInt64. */
  private static long amount(byte[] prepare) {
    int at = 1;
    at += (prepare[at] & 0x80) == 0 ? 1 : 1 + (prepare[at] & 0x7f);
    return ByteBuffer.wrap(prepare, at, 8).getLong();
  }
}
