package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.spsp.SpspAnswer;
import dev.inlet.spsp.SpspClient;
import dev.inlet.spsp.SpspClientSettings;
import dev.inlet.spsp.SpspException;
import dev.inlet.stream.sender.AssetDetails;
import dev.inlet.stream.sender.LinkException;
import dev.inlet.stream.sender.SendLog;
import dev.inlet.stream.sender.SendRequest;
import dev.inlet.stream.sender.SendResult;
import dev.inlet.stream.sender.SenderLimits;
import dev.inlet.stream.sender.StreamSender;
import dev.inlet.uplink.HttpUplink;
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
import org.interledger.core.InterledgerErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link QuiltParent} itself, driven by Inlet's own pieces without Spring: the SPSP client resolves
 * its receiver, the STREAM sender pays through {@link HttpUplink} to its {@code /ilp}; what the
 * sender says it delivered is what the parent counts.
 */
class QuiltParentTest {
  private static final String token = "parent-token-at-least-32-characters-long";
  private static final AssetDetails usd = new AssetDetails("USD", 9);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final QuiltParent parent;
  private final HttpUplink uplink;
  private final SpspClient spsp =
      new SpspClient(new SpspClientSettings(true, true, Duration.ofSeconds(5), 65_536));

  QuiltParentTest() throws Exception {
    parent = new QuiltParent(token);
    uplink = uplink(token);
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    parent.close();
  }

  private HttpUplink uplink(String bearer) {
    return new HttpUplink(
        java.net.URI.create(parent.ilpUrl()),
        Optional.of(bearer),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        16,
        Clock.systemUTC());
  }

  private SendResult pay(long amount) throws Exception {
    SpspAnswer answer = spsp.resolve(parent.spspUrl("alice")).get(10, TimeUnit.SECONDS);
    assertThat(answer.destination().value()).startsWith(QuiltParent.address + ".");
    SendRequest request =
        SendRequest.newConnection(
                answer.destination(),
                answer.sharedSecret(),
                amount,
                usd,
                Optional.of(IlpAddress.of("test.inlet")),
                answer.assetInfo())
            .withLimits(SenderLimits.defaults().withIdleTimeout(Duration.ofSeconds(5)));
    SendResult result =
        new StreamSender(scheduler, Clock.systemUTC())
            .send(request, uplink, new Counting())
            .get(60, TimeUnit.SECONDS);
    if (result.sent() != 0) {
      assertThat(parent.received(answer.destination().value())).isEqualTo(result.delivered());
    }
    return result;
  }

  @Test
  void aSenderPaysItsReceiverAndBothSidesAgree() throws Exception {
    SendResult result = pay(1_000_000);

    assertThat(result.status()).as(result.toString()).isEqualTo(SendResult.Status.COMPLETED);
    assertThat(result.sent()).isEqualTo(1_000_000);
    assertThat(result.delivered()).isEqualTo(1_000_000);
    assertThat(parent.received()).isEqualTo(1_000_000);
    assertThat(result.receiverAsset()).contains(usd);
  }

  @Test
  void aSmallMaximumPacketAmountSplitsThePaymentByF08() throws Exception {
    parent.maxPacketAmount = 10_000;
    SendResult result = pay(1_000_000);

    assertThat(result.status()).as(result.toString()).isEqualTo(SendResult.Status.COMPLETED);
    assertThat(parent.received()).isEqualTo(1_000_000);
    assertThat(parent.tooLarge()).isPositive();
    assertThat(parent.fulfilledPackets()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void rejectingEverythingMovesNothing() throws Exception {
    parent.rejectEverything = InterledgerErrorCode.F02_UNREACHABLE;
    SendResult result = pay(1_000_000);

    assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
    assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("F02"));
    assertThat(result.sent()).isZero();
    assertThat(parent.received()).isZero();
  }

  @Test
  void aWrongTokenIsRefused() {
    HttpUplink wrong = uplink("not-the-parent-token-0123456789-abcdef");
    assertThatThrownBy(
            () ->
                wrong
                    .send(
                        new dev.inlet.codec.ilp.IlpPrepare(
                            1,
                            Instant.now().plusSeconds(30),
                            new byte[32],
                            IlpAddress.of("test.parent.x"),
                            new byte[0]))
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("401");
  }

  @Test
  void anSpspAnswerWithoutItsSecretIsInvalidAndAnUnknownPathIsUnknown() {
    parent.spspWithoutSecret = true;
    assertThatThrownBy(() -> spsp.resolve(parent.spspUrl("alice")).get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(SpspException.class)
        .matches(e -> ((SpspException) e).slug().equals("receiver-invalid"), "receiver-invalid");
    assertThatThrownBy(
            () ->
                spsp.resolve("http://127.0.0.1:" + parent.port() + "/nobody")
                    .get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(SpspException.class)
        .matches(e -> ((SpspException) e).slug().equals("receiver-unknown"), "receiver-unknown");
  }

  /** A send log that only keeps the amounts (the ledger's is tested elsewhere). */
  private static final class Counting implements SendLog {
    final AtomicLong fulfilled = new AtomicLong();

    @Override
    public CompletableFuture<Void> prepared(
        long sequence, long amount, long minDelivered, Instant expiresAt) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> fulfilled(long sequence, long delivered) {
      fulfilled.addAndGet(delivered);
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
