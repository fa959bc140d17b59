package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.TargetKind;
import dev.inlet.ledger.Ledger;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketOutcome.StreamTotals;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.stream.StreamReceiver;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Inlet's own {@link StreamReceiver} in process, over a ledger in memory whose streams each take at
 * most {@code receiveMax}, with receipts.
 */
final class InletReceiver implements Function<IlpPrepare, IlpPacket> {
  static final IlpAddress address = IlpAddress.of("test.inlet");

  private final StreamReceiver receiver;
  final IlpAddress destination;
  final byte[] sharedSecret;
  final MemoryLedger ledger;
  final byte[] receiptNonce = new byte[16];
  final byte[] receiptSecret = new byte[32];

  InletReceiver(String assetCode, int assetScale, long receiveMax) {
    SecureRandom random = new SecureRandom();
    byte[] serverSecret = new byte[32];
    random.nextBytes(serverSecret);
    ConnectionTokens tokens = new ConnectionTokens(serverSecret);
    random.nextBytes(receiptNonce);
    random.nextBytes(receiptSecret);
    String token = tokens.issue(TargetKind.ACCOUNT, 7, receiptNonce, receiptSecret);
    destination = address.with("alice").with(token);
    sharedSecret = tokens.sharedSecret(ConnectionTokens.connectionIdOf(token));
    ledger = new MemoryLedger(receiveMax);
    receiver =
        new StreamReceiver(address, assetCode, assetScale, tokens, ledger, Clock.systemUTC());
  }

  @Override
  public IlpPacket apply(IlpPrepare prepare) {
    return receiver.receive(prepare, Runnable::run).join();
  }

  /** Credits each stream up to its receive max; nothing durable. */
  static final class MemoryLedger implements Ledger {
    private final long receiveMax;
    private final Map<Long, Long> received = new HashMap<>();
    long total;
    boolean connectionClosed;
    boolean streamClosed;

    /** Like an invoice: once this much is credited, further packets are refused and closed. */
    long closeAt = Long.MAX_VALUE;

    MemoryLedger(long receiveMax) {
      this.receiveMax = receiveMax;
    }

    @Override
    public synchronized CompletableFuture<PacketOutcome> apply(PacketRecord packet) {
      connectionClosed |= packet.closeConnection();
      streamClosed |= packet.streams().stream().anyMatch(StreamCredit::close);
      Outcome outcome = packet.fulfillable() ? Outcome.FULFILLED : Outcome.REJECTED;
      if (packet.fulfillable() && total + packet.amount() > closeAt) {
        outcome = Outcome.INVOICE_CLOSED;
      } else if (packet.fulfillable()) {
        for (StreamCredit s : packet.streams()) {
          if (received.getOrDefault(s.streamId(), 0L) + s.amount() > receiveMax) {
            outcome = Outcome.LIMIT_EXCEEDED;
          }
        }
      }
      List<StreamTotals> totals = new ArrayList<>();
      for (StreamCredit s : packet.streams()) {
        long now = received.getOrDefault(s.streamId(), 0L);
        if (outcome == Outcome.FULFILLED) {
          now += s.amount();
          received.put(s.streamId(), now);
          total += s.amount();
        }
        totals.add(new StreamTotals(s.streamId(), now, receiveMax));
      }
      return CompletableFuture.completedFuture(new PacketOutcome(outcome, totals));
    }
  }
}
