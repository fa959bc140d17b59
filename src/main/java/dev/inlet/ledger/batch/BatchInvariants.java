package dev.inlet.ledger.batch;

import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import dev.inlet.ledger.batch.BatchChanges.ConnectionChange;
import dev.inlet.ledger.batch.BatchChanges.PacketCredit;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What must hold of a decided batch before any of it is written, checked on every batch (not Java
 * {@code assert}: always on), in time linear in the batch. Amounts are unsigned 64-bit in longs;
 * sums are compared modulo 2^64, which the decider's overflow rule makes exact for each account and
 * connection.
 *
 * <ul>
 *   <li>every credited packet that names streams gives them shares summing to its amount (RFC 0029
 *       §5.3.8: the amount is split between the streams, no unit lost or made);
 *   <li>the packets answered with a Fulfill for new money are exactly the packets credited, amount
 *       for amount;
 *   <li>per account, the packets credited to it sum to the account's credit, and no account is
 *       credited without packets — so the entries posted (account credit, connector debit) sum to
 *       the packets;
 *   <li>per connection, the packets credited on it sum to the connection's received change.
 * </ul>
 */
final class BatchInvariants {
  private BatchInvariants() {}

  /**
   * @throws InvariantViolation naming the first rule broken
   */
  static void checkDecided(
      List<PacketRecord> packets, List<PacketOutcome> outcomes, BatchChanges changes) {
    require(
        outcomes.size() == packets.size(),
        "one outcome per packet",
        outcomes.size(),
        packets.size());
    long fulfilledTotal = 0;
    int fulfilledPaying = 0;
    for (int i = 0; i < packets.size(); i++) {
      PacketRecord p = packets.get(i);
      if (outcomes.get(i).outcome() != Outcome.FULFILLED) {
        continue;
      }
      if (!p.streams().isEmpty()) {
        long shares = 0;
        for (StreamCredit s : p.streams()) {
          shares += s.amount();
        }
        require(
            shares == p.amount(),
            "a credited packet's stream shares sum to its amount",
            shares,
            p.amount());
      }
      if (p.amount() != 0) {
        fulfilledTotal += p.amount();
        fulfilledPaying++;
      }
    }
    require(
        changes.packets.size() == fulfilledPaying,
        "packets fulfilled with money are the packets credited",
        changes.packets.size(),
        fulfilledPaying);

    long creditedTotal = 0;
    Map<Long, long[]> byAccount = new HashMap<>();
    Map<ByteBuffer, long[]> byConnection = new HashMap<>();
    for (PacketCredit c : changes.packets) {
      require(c.amount() != 0, "a credited packet carries money", c.amount(), 1);
      creditedTotal += c.amount();
      byAccount.computeIfAbsent(c.accountId(), k -> new long[1])[0] += c.amount();
      byConnection.computeIfAbsent(ByteBuffer.wrap(c.connectionId()), k -> new long[1])[0] +=
          c.amount();
    }
    require(
        creditedTotal == fulfilledTotal,
        "the packets credited sum to the packets fulfilled",
        creditedTotal,
        fulfilledTotal);

    require(
        byAccount.size() == changes.credits.size(),
        "accounts credited are the accounts of credited packets",
        changes.credits.size(),
        byAccount.size());
    for (Map.Entry<Long, long[]> e : changes.credits.entrySet()) {
      long[] packetSum = byAccount.get(e.getKey());
      require(
          packetSum != null && packetSum[0] == e.getValue()[0],
          "an account's credit is the sum of its packets",
          e.getValue()[0],
          packetSum == null ? 0 : packetSum[0]);
    }
    for (Map.Entry<ByteBuffer, ConnectionChange> e : changes.connections.entrySet()) {
      long[] packetSum = byConnection.remove(e.getKey());
      long expected = packetSum == null ? 0 : packetSum[0];
      require(
          e.getValue().received == expected,
          "a connection's received change is the sum of its packets",
          e.getValue().received,
          expected);
    }
    require(
        byConnection.isEmpty(),
        "every credited packet's connection is changed",
        byConnection.size(),
        0);
  }

  private static void require(boolean holds, String rule, long actual, long expected) {
    if (!holds) {
      throw new InvariantViolation(
          rule
              + ": got "
              + Long.toUnsignedString(actual)
              + ", expected "
              + Long.toUnsignedString(expected));
    }
  }
}
