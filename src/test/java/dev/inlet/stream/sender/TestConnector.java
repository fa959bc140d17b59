package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.StreamKeys;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A connector in memory, between the sender and a receiver: converts the amount at a rate (rounding
 * down), and on demand rejects what is above its maximum packet amount with F08 (RFC 0027 data),
 * answers T04, rejects everything, or loses the answer ({@link LinkException}). It writes what it
 * forwards to the shared {@link Events} so tests can check the order against the {@link SendLog}.
 */
final class TestConnector implements PacketLink {
  static final IlpAddress address = IlpAddress.of("test.connector");

  private final Function<IlpPrepare, IlpPacket> receiver;
  private final StreamKeys keys;
  private final Events events;

  volatile BigInteger rateNumerator = BigInteger.ONE;
  volatile BigInteger rateDenominator = BigInteger.ONE;

  /** Percent less the rate gives with each packet forwarded (a rate that keeps falling). */
  volatile int ratePercentLostPerPacket;

  volatile long maxPacketAmount;
  volatile int insufficientLiquidity;
  volatile IlpErrorCode rejectEverything;

  /** After this many money packets forwarded, the next one's answer is lost. */
  volatile int loseAnswerAfter = -1;

  volatile boolean lostMaybeDelivered = true;

  /** Answers come back on other threads after up to this many milliseconds (0: at once). */
  volatile int answerDelayMillisMax;

  /** Money packets get no answer at all (a link breaking its promise). */
  volatile boolean hangMoney;

  /** The next this many money packets are refused before leaving (LinkException, not delivered). */
  volatile int refuse;

  private int forwarded;
  private int moneyForwarded;

  /** Destination units fulfilled through this connector. */
  long fulfilledAtDestination;

  TestConnector(Function<IlpPrepare, IlpPacket> receiver, byte[] sharedSecret, Events events) {
    this.receiver = receiver;
    this.keys = StreamKeys.derive(sharedSecret);
    this.events = events;
  }

  @Override
  public synchronized CompletableFuture<IlpPacket> send(IlpPrepare prepare) {
    boolean money = prepare.amount() != 0 && fulfillable(prepare);
    if (money) {
      events.add("sent " + sequence(prepare));
    }
    if (money && hangMoney) {
      return new CompletableFuture<>();
    }
    if (money && refuse > 0) {
      refuse--;
      return CompletableFuture.failedFuture(new LinkException("connection refused", false, null));
    }
    if (rejectEverything != null) {
      return done(reject(rejectEverything, new byte[0]));
    }
    if (maxPacketAmount != 0 && Long.compareUnsigned(prepare.amount(), maxPacketAmount) > 0) {
      byte[] data =
          ByteBuffer.allocate(16).putLong(prepare.amount()).putLong(maxPacketAmount).array();
      return done(reject(IlpErrorCode.F08_AMOUNT_TOO_LARGE, data));
    }
    if (money && insufficientLiquidity > 0) {
      insufficientLiquidity--;
      return done(reject(IlpErrorCode.T04_INSUFFICIENT_LIQUIDITY, new byte[0]));
    }
    IlpPrepare forwarded = forward(prepare);
    IlpPacket answer = receiver.apply(forwarded);
    this.forwarded++;
    if (answer instanceof IlpFulfill) {
      fulfilledAtDestination += forwarded.amount();
    }
    if (money && moneyForwarded++ == loseAnswerAfter) {
      return done(null)
          .thenCompose(
              ignored ->
                  CompletableFuture.failedFuture(
                      new LinkException(
                          "connection lost after sending", lostMaybeDelivered, null)));
    }
    return done(answer);
  }

  private IlpPrepare forward(IlpPrepare prepare) {
    BigInteger amount =
        new BigInteger(Long.toUnsignedString(prepare.amount()))
            .multiply(rateNumerator)
            .multiply(BigInteger.valueOf(100 - ratePercentLostPerPacket).pow(forwarded))
            .divide(rateDenominator.multiply(BigInteger.valueOf(100).pow(forwarded)));
    return new IlpPrepare(
        amount.longValue(),
        prepare.expiresAt(),
        prepare.executionCondition(),
        prepare.destination(),
        prepare.data());
  }

  private boolean fulfillable(IlpPrepare prepare) {
    return Conditions.fulfills(keys.fulfillment(prepare.data()), prepare.executionCondition());
  }

  private long sequence(IlpPrepare prepare) {
    try {
      return StreamCodec.decode(keys.decrypt(prepare.data())).sequence();
    } catch (DecryptionException | DecodeException e) {
      throw new AssertionError(e);
    }
  }

  private static IlpReject reject(IlpErrorCode code, byte[] data) {
    return new IlpReject(code, Optional.of(address), "test connector", data);
  }

  private CompletableFuture<IlpPacket> done(IlpPacket packet) {
    if (answerDelayMillisMax == 0) {
      return CompletableFuture.completedFuture(packet);
    }
    long delay =
        java.util.concurrent.ThreadLocalRandom.current().nextLong(answerDelayMillisMax + 1);
    return CompletableFuture.supplyAsync(
        () -> packet,
        CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  /** What the sender's log and the link saw, in order. */
  static final class Events {
    private final List<String> list = new java.util.ArrayList<>();

    synchronized void add(String event) {
      list.add(event);
    }

    synchronized List<String> all() {
      return List.copyOf(list);
    }
  }
}
