package dev.inlet.stream.sender;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.stream.StreamReceipt;
import dev.inlet.crypto.Receipts;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender against Inlet's own STREAM receiver over a ledger in memory. */
class StreamSenderInletTest {
  private static final AssetDetails usd = new AssetDetails("USD", 9);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final StreamSender sender = new StreamSender(scheduler, Clock.systemUTC());
  private final TestConnector.Events events = new TestConnector.Events();
  private final RecordingSendLog log = new RecordingSendLog(events);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static SendRequest request(InletReceiver receiver, long amount) {
    return SendRequest.newConnection(
            receiver.destination,
            receiver.sharedSecret,
            amount,
            usd,
            Optional.of(IlpAddress.of("test.sender")),
            Optional.of(usd))
        .withLimits(SenderLimits.defaults().withIdleTimeout(Duration.ofSeconds(5)));
  }

  private SendResult send(SendRequest request, TestConnector connector) throws Exception {
    SendResult result = sender.send(request, connector, log).get(20, TimeUnit.SECONDS);
    log.assertConsistent();
    return result;
  }

  @Test
  void paysInFullClosesTheConnectionAndKeepsTheReceipts() throws Exception {
    InletReceiver receiver = new InletReceiver("USD", 9, Long.MAX_VALUE);
    TestConnector connector = new TestConnector(receiver, receiver.sharedSecret, events);
    connector.maxPacketAmount = 3_000;
    SendResult result = send(request(receiver, 10_000), connector);

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(10_000, result.sent());
    assertEquals(10_000, result.delivered());
    assertEquals(10_000, receiver.ledger.total);
    assertTrue(receiver.ledger.connectionClosed, "ConnectionClose in the last packet");
    assertTrue(receiver.ledger.streamClosed, "StreamClose in the last packet");
    List<StreamReceipt> receipts = result.receipts();
    assertFalse(receipts.isEmpty());
    assertArrayEquals(
        Receipts.receipt(receiver.receiptNonce, receiver.receiptSecret, 1, 10_000),
        receipts.get(receipts.size() - 1).receipt());
    assertEquals(Optional.of(usd), result.receiverAsset());
    // Probes, 4 money packets and the close: the next send on this connection starts after them.
    assertTrue(result.nextSequence() > 5);
  }

  @Test
  void stopsAtTheReceiversStreamMaxMoney() throws Exception {
    InletReceiver receiver = new InletReceiver("USD", 9, 600);
    TestConnector connector = new TestConnector(receiver, receiver.sharedSecret, events);
    SendResult result = send(request(receiver, 1_000), connector);

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("receiver-limit: accepted 600 of 1000"), result.error());
    assertEquals(600, result.sent());
    assertEquals(600, result.delivered());
    assertEquals(600, receiver.ledger.total);
    assertEquals(600, log.total("fulfilled"));
  }

  @Test
  void retriesAPrepareThatNeverLeft() throws Exception {
    InletReceiver receiver = new InletReceiver("USD", 9, Long.MAX_VALUE);
    TestConnector connector = new TestConnector(receiver, receiver.sharedSecret, events);
    connector.refuse = 2;
    SendResult result = send(request(receiver, 5_000), connector);

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(5_000, receiver.ledger.total);
    assertEquals(2, log.answers.values().stream().filter("rejected"::equals).count());
  }

  @Test
  void failsUnreachableWhenTheLinkKeepsRefusing() throws Exception {
    InletReceiver receiver = new InletReceiver("USD", 9, Long.MAX_VALUE);
    TestConnector connector = new TestConnector(receiver, receiver.sharedSecret, events);
    connector.refuse = 1_000;
    SendResult result = send(request(receiver, 5_000), connector);

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("unreachable"), result.errorSlug(), result.toString());
    assertEquals(0, result.sent());
    assertEquals(0, result.inDoubt());
    assertEquals(0, receiver.ledger.total);
  }

  @Test
  void timesOutWhenNothingIsFulfilled() throws Exception {
    InletReceiver receiver = new InletReceiver("USD", 9, Long.MAX_VALUE);
    TestConnector connector = new TestConnector(receiver, receiver.sharedSecret, events);
    connector.rejectEverything = IlpErrorCode.T02_PEER_BUSY;
    SendRequest request = request(receiver, 5_000);
    SendResult result =
        send(
            request.withLimits(request.limits().withIdleTimeout(Duration.ofMillis(300))),
            connector);

    assertEquals(SendResult.Status.FAILED, result.status());
    assertEquals(Optional.of("timeout"), result.errorSlug(), result.toString());
    assertEquals(0, receiver.ledger.total);
  }

  @Test
  void anExistingConnectionClosesOnlyItsStream() throws Exception {
    InletReceiver receiver = new InletReceiver("USD", 9, Long.MAX_VALUE);
    TestConnector connector = new TestConnector(receiver, receiver.sharedSecret, events);
    SendRequest first = request(receiver, 1_000);
    SendRequest refund =
        new SendRequest(
            first.destination(),
            first.sharedSecret(),
            1_000,
            "USD",
            9,
            Optional.empty(),
            Optional.of(usd),
            1,
            3,
            false,
            first.limits());
    SendResult result = send(refund, connector);

    assertEquals(SendResult.Status.COMPLETED, result.status(), result.toString());
    assertEquals(1_000, receiver.ledger.total);
    assertTrue(receiver.ledger.streamClosed);
    assertFalse(receiver.ledger.connectionClosed);
  }

  @Test
  void stopsWhenTheReceiverClosesTheConnection() throws Exception {
    InletReceiver receiver = new InletReceiver("USD", 9, Long.MAX_VALUE);
    receiver.ledger.closeAt = 3_000;
    TestConnector connector = new TestConnector(receiver, receiver.sharedSecret, events);
    SendRequest request = request(receiver, 10_000);
    SendResult result =
        send(
            request.withLimits(request.limits().withMaxInFlight(1).withMaxPacketAmount(1_000)),
            connector);

    assertEquals(SendResult.Status.FAILED, result.status());
    assertTrue(
        result.error().get().startsWith("receiver-limit: accepted 3000 of 10000"),
        result.error().get());
    assertEquals(3_000, receiver.ledger.total);
    assertEquals(3_000, log.total("fulfilled"));
  }
}
