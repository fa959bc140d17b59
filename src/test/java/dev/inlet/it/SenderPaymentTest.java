package dev.inlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.spsp.SpspAnswer;
import dev.inlet.spsp.SpspClient;
import dev.inlet.spsp.SpspClientSettings;
import dev.inlet.spsp.SpspException;
import dev.inlet.stream.sender.AssetDetails;
import dev.inlet.stream.sender.LinkException;
import dev.inlet.stream.sender.PacketLink;
import dev.inlet.stream.sender.SendLog;
import dev.inlet.stream.sender.SendRequest;
import dev.inlet.stream.sender.SendResult;
import dev.inlet.stream.sender.SenderLimits;
import dev.inlet.stream.sender.StreamSender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inlet's SPSP client and STREAM sender paying a running Inlet: the pointer resolved over HTTP, the
 * Prepares posted to its {@code /ilp} as a connector would forward them.
 */
class SenderPaymentTest extends InletPerClass {
  private static final AssetDetails usd = new AssetDetails("USD", 9);
  private static final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor();
  private final SpspClient spsp =
      new SpspClient(new SpspClientSettings(true, true, Duration.ofSeconds(5), 65_536));
  private final StreamSender sender = new StreamSender(scheduler, Clock.systemUTC());

  @BeforeAll
  static void createDefaultAccount() {
    inlet.createAccount(defaultAccount, null);
  }

  @AfterAll
  static void stopScheduler() {
    scheduler.shutdownNow();
  }

  private String pointerUrl(String path) {
    return "http://localhost:" + inlet.port + path;
  }

  @Test
  void resolvesAnInletAccount() throws Exception {
    SpspAnswer answer = spsp.resolve(pointerUrl("/" + defaultAccount)).get(10, TimeUnit.SECONDS);
    assertTrue(
        answer.destination().value().startsWith(TestInlet.ilpAddress + "." + defaultAccount + "."),
        answer.destination().value());
    assertEquals(32, answer.sharedSecret().length);
    SpspAnswer wellKnown = spsp.resolve(pointerUrl("/.well-known/pay")).get(10, TimeUnit.SECONDS);
    assertTrue(wellKnown.destination().value().contains("." + defaultAccount + "."));
  }

  @Test
  void anUnknownAccountIsAnUnknownReceiver() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> spsp.resolve(pointerUrl("/nobody-here")).get(10, TimeUnit.SECONDS));
    SpspException cause = assertInstanceOf(SpspException.class, e.getCause());
    assertEquals(SpspException.receiverUnknown, cause.slug());
  }

  @Test
  void paysAnAccountInFull() throws Exception {
    inlet.createAccount("payee-full", null);
    SendResult result = pay("/payee-full", 2_500_000, 1_000_000);

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(2_500_000, result.sent());
    assertEquals(2_500_000, result.delivered());
    assertEquals(2_500_000, inlet.balance("payee-full"));
    assertEquals(Optional.of(usd), result.receiverAsset());
  }

  @Test
  void stopsAtTheAccountsReceiveLimit() throws Exception {
    inlet.createAccount("payee-limited", "600");
    SendResult result = pay("/payee-limited", 1_000, 1_000_000);

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("receiver-limit: accepted 600 of 1000"), result.error());
    assertEquals(600, result.sent());
    assertEquals(600, inlet.balance("payee-limited"));
  }

  private SendResult pay(String path, long amount, long maxPacketAmount) throws Exception {
    SpspAnswer answer = spsp.resolve(pointerUrl(path)).get(10, TimeUnit.SECONDS);
    SendRequest request =
        SendRequest.newConnection(
                answer.destination(),
                answer.sharedSecret(),
                amount,
                usd,
                Optional.of(IlpAddress.of("test.sender")),
                Optional.of(usd))
            .withLimits(
                SenderLimits.defaults()
                    .withMaxPacketAmount(maxPacketAmount)
                    .withIdleTimeout(Duration.ofSeconds(10)));
    CountingLog log = new CountingLog();
    SendResult result = sender.send(request, new IlpOverHttp(), log).get(30, TimeUnit.SECONDS);
    assertEquals(result.sent(), log.fulfilled.get());
    return result;
  }

  /** Posts each Prepare to Inlet's {@code /ilp} as the connector (RFC 0035). */
  private static final class IlpOverHttp implements PacketLink {
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public CompletableFuture<IlpPacket> send(IlpPrepare prepare) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(inlet.ilpUrl()))
              .header("Authorization", "Bearer " + TestInlet.connectorToken)
              .header("Content-Type", "application/octet-stream")
              .timeout(Duration.between(Instant.now(), prepare.expiresAt()))
              .POST(HttpRequest.BodyPublishers.ofByteArray(IlpCodec.encode(prepare)))
              .build();
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
          .handle(
              (response, error) -> {
                if (error != null || response.statusCode() != 200) {
                  throw new java.util.concurrent.CompletionException(
                      new LinkException("no answer from /ilp", true, error));
                }
                try {
                  return IlpCodec.decode(response.body());
                } catch (DecodeException e) {
                  throw new java.util.concurrent.CompletionException(
                      new LinkException("garbage from /ilp", true, e));
                }
              });
    }
  }

  /** Source units the sender recorded as fulfilled. */
  private static final class CountingLog implements SendLog {
    final java.util.Map<Long, Long> amounts = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicLong fulfilled = new AtomicLong();

    @Override
    public CompletableFuture<Void> prepared(
        long sequence, long amount, long minDelivered, Instant expiresAt) {
      amounts.put(sequence, amount);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> fulfilled(long sequence, long delivered) {
      fulfilled.addAndGet(amounts.get(sequence));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> rejected(long sequence) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> inDoubt(long sequence) {
      return CompletableFuture.completedFuture(null);
    }
  }
}
