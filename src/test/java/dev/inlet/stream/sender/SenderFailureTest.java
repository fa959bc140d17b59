package dev.inlet.stream.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.codec.ilp.IlpAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the sender does when its own side fails: the log, the link's promise, the request. */
class SenderFailureTest {
  private static final AssetDetails usd = new AssetDetails("USD", 9);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final StreamSender sender = new StreamSender(scheduler, Clock.systemUTC());
  private final TestConnector.Events events = new TestConnector.Events();
  private final RecordingSendLog log = new RecordingSendLog(events);
  private final InletReceiver receiver = new InletReceiver("USD", 9, Long.MAX_VALUE);
  private final TestConnector connector =
      new TestConnector(receiver, receiver.sharedSecret, events);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private SendRequest request(long amount, SenderLimits limits) {
    return SendRequest.newConnection(
            receiver.destination,
            receiver.sharedSecret,
            amount,
            usd,
            Optional.of(IlpAddress.of("test.sender")),
            Optional.empty())
        .withLimits(limits);
  }

  @Test
  void aFailedRecordStopsTheSendAndThatPacketNeverLeaves() throws Exception {
    log.failPreparedAfter = 2;
    SenderLimits limits = SenderLimits.defaults().withMaxInFlight(1).withMaxPacketAmount(1_000);
    SendResult result =
        sender.send(request(10_000, limits), connector, log).get(10, TimeUnit.SECONDS);

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("log"), result.errorSlug(), result.toString());
    assertEquals(2_000, result.sent());
    assertEquals(2_000, receiver.ledger.total);
    assertEquals(2, log.amounts.size());
    log.assertConsistent();
  }

  @Test
  void aFullLinkDelaysTheSendWithoutFailingIt() throws Exception {
    // Every other money Prepare finds the link full, far more often than an unreachable link may
    // refuse before the send fails: the send waits each time and completes.
    java.util.concurrent.atomic.AtomicInteger sends =
        new java.util.concurrent.atomic.AtomicInteger();
    PacketLink full =
        prepare ->
            prepare.amount() > 0 && sends.incrementAndGet() % 2 == 0
                ? java.util.concurrent.CompletableFuture.failedFuture(
                    LinkException.busy("not sent: 10 Prepares already in flight"))
                : connector.send(prepare);
    SenderLimits limits = SenderLimits.defaults().withMaxInFlight(1).withMaxPacketAmount(1_000);
    SendResult result = sender.send(request(20_000, limits), full, log).get(30, TimeUnit.SECONDS);

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(20_000, result.sent());
    assertEquals(20_000, receiver.ledger.total);
    assertTrue(sends.get() > 40, "refused about every other time: " + sends.get());
    // Each refused Prepare was recorded and then answered rejected (its money back in the
    // reservation), once; only the fulfilled ones add up to what was sent.
    Thread.sleep(100);
    assertEquals(log.amounts.keySet(), log.answers.keySet());
    assertEquals(
        20_000,
        log.answers.entrySet().stream()
            .filter(e -> e.getValue().equals("fulfilled"))
            .mapToLong(e -> log.amounts.get(e.getKey()))
            .sum());
  }

  @Test
  void completesWithTheAmountInDoubtWhenTheLinkNeverAnswers() throws Exception {
    connector.hangMoney = true;
    SenderLimits limits =
        new SenderLimits(
            SenderLimits.defaultMaxSlippage,
            Duration.ofSeconds(2),
            2,
            Duration.ofMillis(300),
            1_000);
    long start = System.nanoTime();
    SendResult result =
        sender.send(request(10_000, limits), connector, log).get(10, TimeUnit.SECONDS);

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("in-doubt"), result.errorSlug(), result.toString());
    assertEquals(2_000, result.inDoubt());
    assertEquals(0, result.sent());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8));
    // The watchdog records both as in doubt.
    Thread.sleep(100);
    assertEquals(2, log.answers.values().stream().filter("inDoubt"::equals).count());
    log.assertConsistent();
  }

  @Test
  void aBadRequestFailsAtOnce() throws Exception {
    SendRequest bad =
        new SendRequest(
            receiver.destination,
            new byte[5],
            1_000,
            "USD",
            9,
            Optional.empty(),
            Optional.empty(),
            1,
            1,
            true,
            SenderLimits.defaults());
    SendResult result = sender.send(bad, connector, log).get(1, TimeUnit.SECONDS);
    assertEquals(Optional.of("invalid-request"), result.errorSlug());
    assertEquals(1, result.nextSequence());
    SendResult none = sender.send(null, connector, log).get(1, TimeUnit.SECONDS);
    assertEquals(Optional.of("invalid-request"), none.errorSlug());
  }

  @Test
  void nothingToSendCompletesWithoutAPacket() throws Exception {
    SendResult result =
        sender.send(request(0, SenderLimits.defaults()), connector, log).get(1, TimeUnit.SECONDS);
    assertEquals(SendResult.Status.COMPLETED, result.status());
    assertTrue(events.all().isEmpty());
  }
}
