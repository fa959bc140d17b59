package dev.inlet.ledger.batch;

import static dev.inlet.ledger.batch.Scenario.max;
import static dev.inlet.ledger.batch.Scenario.maxDataBytes;
import static dev.inlet.ledger.batch.Scenario.twoTo63;

import dev.inlet.ledger.batch.Intent.DataIntent;
import dev.inlet.ledger.batch.Intent.DataKind;
import dev.inlet.ledger.batch.Intent.SequenceKind;
import dev.inlet.ledger.batch.Intent.StreamIntent;
import dev.inlet.ledger.batch.ModelValues.Chunk;
import dev.inlet.ledger.batch.ModelValues.Packet;
import dev.inlet.ledger.batch.ModelValues.Share;
import dev.inlet.ledger.batch.Scenario.ConnectionSpec;
import dev.inlet.ledger.batch.Scenario.World;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns intents into packets against the model's state at the time each is applied. */
final class Resolver {
  private final World world;
  private final LedgerModel model;
  private final Map<Integer, Long> nextSequence = new HashMap<>();
  private final Map<Integer, List<Long>> used = new HashMap<>();
  private final Map<Integer, Long> nextOffset = new HashMap<>();

  Resolver(World world, LedgerModel model) {
    this.world = world;
    this.model = model;
    for (ConnectionSpec c : world.connections()) {
      long last =
          c.row() == null || c.row().credited().isEmpty() ? 0 : c.row().credited().lastKey();
      nextSequence.put(c.number(), last + 1);
      used.put(
          c.number(), new ArrayList<>(c.row() == null ? List.of() : c.row().credited().keySet()));
      nextOffset.put(c.number(), 100L);
    }
  }

  Packet resolve(Intent intent) {
    ConnectionSpec c = world.connections().get(intent.connection());
    int n = c.number();
    long account = c.account();
    TreeMap<Long, long[]> weights = new TreeMap<>();
    TreeMap<Long, Boolean> closes = new TreeMap<>();
    for (StreamIntent s : intent.streams()) {
      long[] w = weights.computeIfAbsent(s.streamId(), id -> new long[1]);
      w[0] = w[0] + s.weight() < 0 ? Long.MAX_VALUE : w[0] + s.weight();
      closes.merge(s.streamId(), s.close(), Boolean::logicalOr);
    }
    BigInteger amount =
        amount(intent, n, account, c.invoice(), weights.isEmpty() ? 1 : weights.firstKey());
    long sequence;
    Map<Long, BigInteger> credited = model.credited(n);
    List<Long> creditedSequences = new ArrayList<>(credited.keySet());
    switch (intent.sequence()) {
      case RETRY_SAME_AMOUNT, RETRY_OTHER_AMOUNT -> {
        if (creditedSequences.isEmpty()) {
          sequence = fresh(n);
        } else {
          sequence = creditedSequences.get(intent.pick() % creditedSequences.size());
          BigInteger was = credited.get(sequence);
          if (intent.sequence() == SequenceKind.RETRY_SAME_AMOUNT) {
            amount = was;
          } else if (amount.equals(was)) {
            amount = was.equals(max) ? was.subtract(BigInteger.ONE) : was.add(BigInteger.ONE);
          }
        }
      }
      case ANY_USED -> {
        List<Long> seen = used.get(n);
        sequence = seen.isEmpty() ? fresh(n) : seen.get(intent.pick() % seen.size());
      }
      case LOW -> sequence = 1 + intent.pick() % 3;
      default -> sequence = fresh(n);
    }
    used.get(n).add(sequence);
    nextSequence.merge(n, sequence + 1, Math::max);
    // Money needs a stream with shares (the receiver declines it otherwise, before the ledger).
    if (amount.signum() > 0 && weights.values().stream().allMatch(w -> w[0] == 0)) {
      if (weights.isEmpty()) {
        weights.put(1L, new long[1]);
        closes.put(1L, false);
      }
      weights.firstEntry().getValue()[0] = 1;
    }
    long[] w = weights.values().stream().mapToLong(x -> x[0]).toArray();
    List<BigInteger> parts = amount.signum() == 0 ? new ArrayList<>() : split(amount, w);
    List<Share> shares = new ArrayList<>();
    int i = 0;
    for (long id : weights.keySet()) {
      shares.add(new Share(id, parts.isEmpty() ? BigInteger.ZERO : parts.get(i), closes.get(id)));
      i++;
    }
    String source = intent.source() == 0 ? null : "g.sender." + intent.source();
    return new Packet(
        n,
        account,
        c.invoice(),
        source,
        sequence,
        amount,
        intent.fulfill(),
        intent.closeConnection(),
        List.copyOf(shares),
        data(intent, n));
  }

  private long fresh(int n) {
    return nextSequence.get(n);
  }

  private BigInteger amount(Intent intent, int n, long account, long invoice, long firstStream) {
    BigInteger jitter = BigInteger.valueOf(intent.jitter());
    BigInteger invoiceLeft = invoice == 0 ? null : model.invoiceLeft(invoice);
    BigInteger received = model.accountReceived(account);
    BigInteger limit = model.accountLimit(account);
    BigInteger limitRoom = limit == null ? null : limit.subtract(received);
    BigInteger a =
        switch (intent.amount()) {
          case ZERO -> BigInteger.ZERO;
          case ONE -> BigInteger.ONE;
          case SMALL -> BigInteger.ONE.add(jitter);
          case TWO_TO_63 -> twoTo63;
          case MAX -> max;
          case NEAR_MAX -> max.subtract(jitter);
          case ACCOUNT_ROOM -> max.subtract(received);
          case PAST_ACCOUNT_ROOM -> max.subtract(received).add(BigInteger.ONE);
          case CONNECTION_ROOM -> max.subtract(model.connectionReceived(n));
          case LIMIT_ROOM -> limitRoom == null ? BigInteger.ONE.add(jitter) : limitRoom;
          case PAST_LIMIT_ROOM ->
              limitRoom == null ? max.subtract(jitter) : limitRoom.add(BigInteger.ONE);
          case STREAM_ROOM -> max.subtract(model.streamReceived(n, firstStream));
          case INVOICE_LEFT -> invoiceLeft == null ? BigInteger.ONE.add(jitter) : invoiceLeft;
          case PAST_INVOICE_LEFT ->
              invoiceLeft == null ? BigInteger.ONE.add(jitter) : invoiceLeft.add(BigInteger.ONE);
        };
    return a.max(BigInteger.ZERO).min(max);
  }

  private List<Chunk> data(Intent intent, int n) {
    List<Chunk> chunks = new ArrayList<>();
    int pending = 0;
    for (DataIntent d : intent.data()) {
      List<Chunk> kept = model.kept(n);
      if (d.kind() == DataKind.REPEAT_KEPT && !kept.isEmpty()) {
        chunks.add(kept.get(d.pick() % kept.size()));
      } else if (d.kind() == DataKind.REPEAT_IN_PACKET && !chunks.isEmpty()) {
        chunks.add(chunks.get(chunks.size() - 1));
      } else {
        int room = maxDataBytes - model.dataBytes(n) - pending;
        int length =
            switch (d.size()) {
              case ONE -> 1;
              case SMALL -> 1 + d.pick() % 8;
              case TO_BOUND -> Math.max(1, room);
              case PAST_BOUND -> Math.max(1, room + 1);
            };
        long offset = nextOffset.merge(n, 100L, Long::sum);
        chunks.add(new Chunk(d.streamId(), offset, length, d.fill()));
        pending += length;
      }
    }
    return List.copyOf(chunks);
  }

  /**
   * {@code total} in parts proportional to {@code weights}, rounded down, the rest to the first
   * with weight.
   */
  static List<BigInteger> split(BigInteger total, long[] weights) {
    BigInteger sum = BigInteger.ZERO;
    for (long w : weights) {
      sum = sum.add(BigInteger.valueOf(w));
    }
    List<BigInteger> parts = new ArrayList<>();
    BigInteger given = BigInteger.ZERO;
    int first = -1;
    for (int i = 0; i < weights.length; i++) {
      BigInteger part = total.multiply(BigInteger.valueOf(weights[i])).divide(sum);
      parts.add(part);
      given = given.add(part);
      if (first < 0 && weights[i] != 0) {
        first = i;
      }
    }
    parts.set(first, parts.get(first).add(total.subtract(given)));
    return parts;
  }
}
