package dev.inlet.stream.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpErrorCode;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender against Quilt's stateless STREAM receiver, through a connector in memory. */
class StreamSenderQuiltTest {
  private static final AssetDetails usd = new AssetDetails("USD", 9);
  private static final AssetDetails xrp = new AssetDetails("XRP", 6);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final StreamSender sender = new StreamSender(scheduler, Clock.systemUTC());
  private final QuiltReceiver receiver = new QuiltReceiver(xrp.code(), xrp.scale());
  private final TestConnector.Events events = new TestConnector.Events();
  private final TestConnector connector =
      new TestConnector(receiver, receiver.sharedSecret, events);
  private final RecordingSendLog log = new RecordingSendLog(events);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private SendRequest request(long amount, Optional<AssetDetails> expected) {
    return SendRequest.newConnection(
            receiver.destination,
            receiver.sharedSecret,
            amount,
            usd,
            Optional.of(IlpAddress.of("test.sender")),
            expected)
        .withLimits(SenderLimits.defaults().withIdleTimeout(Duration.ofSeconds(5)));
  }

  private SendResult send(SendRequest request) throws Exception {
    SendResult result = sender.send(request, connector, log).get(20, TimeUnit.SECONDS);
    log.assertConsistent();
    return result;
  }

  @Test
  void deliversTheWholeAmountAtTheConnectorsRate() throws Exception {
    connector.rateNumerator = BigInteger.valueOf(3);
    connector.rateDenominator = BigInteger.valueOf(2000);
    SendResult result = send(request(1_000_000, Optional.of(xrp)));

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(1_000_000, result.sent());
    assertEquals(1_500, result.delivered());
    assertEquals(1_500, connector.fulfilledAtDestination);
    assertEquals(1_000_000, log.total("fulfilled"));
    assertEquals(1_500, log.delivered.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(Optional.of(xrp), result.receiverAsset());
    assertEquals(0, result.inDoubt());
    assertTrue(result.error().isEmpty());
  }

  @Test
  void splitsThePaymentBelowThePathsMaximumFromF08() throws Exception {
    connector.maxPacketAmount = 1_000;
    SendResult result = send(request(10_500, Optional.empty()));

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(10_500, result.sent());
    assertEquals(10_500, connector.fulfilledAtDestination);
    assertTrue(log.amounts.size() >= 11, "packets: " + log.amounts);
    assertTrue(log.amounts.values().stream().allMatch(a -> a <= 1_000), "" + log.amounts);
    assertEquals(10_500, log.total("fulfilled"));
  }

  @Test
  void backsOffOnInsufficientLiquidityAndStillCompletes() throws Exception {
    connector.insufficientLiquidity = 3;
    SendResult result = send(request(50_000, Optional.empty()));

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(50_000, result.sent());
    assertEquals(50_000, connector.fulfilledAtDestination);
    assertEquals(3, log.answers.values().stream().filter("rejected"::equals).count());
  }

  @Test
  void failsWithoutMovingMoneyWhenEverythingIsRejected() throws Exception {
    connector.rejectEverything = IlpErrorCode.F02_UNREACHABLE;
    SendResult result = send(request(10_000, Optional.empty()));

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("rejected"), result.errorSlug(), result.toString());
    assertTrue(result.error().get().contains("F02"), result.error().get());
    assertEquals(0, result.sent());
    assertEquals(0, connector.fulfilledAtDestination);
    assertTrue(log.amounts.isEmpty());
  }

  @Test
  void stopsWithTheAmountInDoubtWhenTheAnswerIsLost() throws Exception {
    connector.loseAnswerAfter = 2;
    connector.maxPacketAmount = 1_000;
    SendRequest one = request(10_000, Optional.empty());
    SendResult result = send(one.withLimits(one.limits().withMaxInFlight(1)));

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("in-doubt"), result.errorSlug(), result.toString());
    assertEquals(1_000, result.inDoubt());
    assertEquals(1, log.answers.values().stream().filter("inDoubt"::equals).count());
    assertEquals(log.total("fulfilled"), result.sent());
    // The lost answer's packet did arrive: the receiver has more than the sender counts as sent.
    assertEquals(result.sent() + result.inDoubt(), connector.fulfilledAtDestination);
    assertEquals(2_000, result.sent());
  }

  @Test
  void sendsNothingWhenTheReceiversAssetIsNotTheExpectedOne() throws Exception {
    SendResult result = send(request(10_000, Optional.of(usd)));

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("asset-mismatch"), result.errorSlug(), result.toString());
    assertEquals(0, result.sent());
    assertEquals(Optional.of(xrp), result.receiverAsset());
    assertTrue(log.amounts.isEmpty());
    assertEquals(0, connector.fulfilledAtDestination);
  }

  @Test
  void failsOnSlippageWhenTheConnectorTakesMoreThanAllowed() throws Exception {
    connector.ratePercentLostPerPacket = 5;
    SendResult result = send(request(10_000, Optional.empty()));

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("exchange-rate"), result.errorSlug(), result.toString());
    assertEquals(0, result.sent());
    assertEquals(0, connector.fulfilledAtDestination);
    assertEquals(0, log.total("fulfilled"));
  }

  @Test
  void sendsNothingThatWouldArriveAsZero() throws Exception {
    connector.rateDenominator = BigInteger.valueOf(1_000);
    SendResult result = send(request(50, Optional.empty()));

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("exchange-rate"), result.errorSlug(), result.toString());
    assertEquals(0, result.sent());
    assertTrue(log.amounts.isEmpty());
  }

  @Test
  void deliversAtARateFarBelowOne() throws Exception {
    connector.rateDenominator = BigInteger.valueOf(1_000);
    connector.maxPacketAmount = 100_000;
    SendResult result = send(request(3_000, Optional.empty()));

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(3, result.delivered());
    assertEquals(3, connector.fulfilledAtDestination);
  }

  @Test
  void manyPacketsInFlightAnsweredOutOfOrderAllAddUp() throws Exception {
    connector.maxPacketAmount = 1_000;
    connector.answerDelayMillisMax = 5;
    connector.insufficientLiquidity = 2;
    SendResult result = send(request(200_000, Optional.empty()));

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(200_000, result.sent());
    assertEquals(200_000, result.delivered());
    assertEquals(200_000, connector.fulfilledAtDestination);
    assertEquals(200_000, log.total("fulfilled"));
  }

  @Test
  void paysTheLargestUnsignedAmount() throws Exception {
    SendResult result = send(request(-1L, Optional.empty()));

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals("18446744073709551615", Long.toUnsignedString(result.sent()));
    assertEquals(-1L, result.delivered());
    assertEquals(-1L, connector.fulfilledAtDestination);
  }
}
