package dev.inlet.ledger.batch;

import static dev.inlet.ledger.batch.Scenario.max;
import static dev.inlet.ledger.batch.Scenario.maxDataBytes;
import static dev.inlet.ledger.batch.Scenario.streamIds;
import static dev.inlet.ledger.batch.Scenario.twoTo63;

import dev.inlet.ledger.batch.Intent.AmountKind;
import dev.inlet.ledger.batch.Intent.DataIntent;
import dev.inlet.ledger.batch.Intent.DataKind;
import dev.inlet.ledger.batch.Intent.SequenceKind;
import dev.inlet.ledger.batch.Intent.Size;
import dev.inlet.ledger.batch.Intent.StreamIntent;
import dev.inlet.ledger.batch.ModelValues.AccountRow;
import dev.inlet.ledger.batch.ModelValues.Chunk;
import dev.inlet.ledger.batch.ModelValues.ChunkKey;
import dev.inlet.ledger.batch.ModelValues.ConnectionRow;
import dev.inlet.ledger.batch.ModelValues.InvoiceRow;
import dev.inlet.ledger.batch.ModelValues.StreamRow;
import dev.inlet.ledger.batch.Scenario.AccountSpec;
import dev.inlet.ledger.batch.Scenario.ConnectionSpec;
import dev.inlet.ledger.batch.Scenario.InvoiceSpec;
import dev.inlet.ledger.batch.Scenario.World;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Random scenarios aimed at the edges: accounts (some with receive limits, some already near
 * 2^64-1), invoices (small and edge amounts, some nearly paid, completed, cancelled or expiring
 * during the run), connections (some paying an invoice, some closed, some near their {@code
 * StreamData} bound), and several batches of packet intents. A scenario depends on its seed alone.
 */
final class ScenarioGenerator {
  private ScenarioGenerator() {}

  static Scenario scenario(SplittableRandom r) {
    World world = world(r);
    List<List<Intent>> batches = new ArrayList<>();
    int count = 1 + r.nextInt(5);
    for (int b = 0; b < count; b++) {
      List<Intent> batch = new ArrayList<>();
      int packets = 1 + r.nextInt(r.nextInt(4) == 0 ? 16 : 8);
      for (int i = 0; i < packets; i++) {
        batch.add(intent(r, world.connections().size()));
      }
      batches.add(batch);
    }
    return new Scenario(world, batches);
  }

  static World world(SplittableRandom r) {
    List<AccountSpec> accounts = new ArrayList<>();
    int count = 1 + r.nextInt(3);
    for (long id = 1; id <= count; id++) {
      accounts.add(account(r, id));
    }
    // What each account (and invoice) received and no connection holds yet.
    Map<Long, BigInteger> unallocated = new HashMap<>();
    accounts.forEach(a -> unallocated.put(a.id(), a.received()));
    List<InvoiceSpec> invoices = new ArrayList<>();
    int invoiceCount = new int[] {0, 1, 2, 2, 3, 3}[r.nextInt(6)];
    for (long id = 11; id <= 10 + invoiceCount; id++) {
      AccountSpec a = accounts.get(r.nextInt(accounts.size()));
      InvoiceRow row = invoice(r, a, unallocated.get(a.id()));
      unallocated.merge(a.id(), row.received().negate(), BigInteger::add);
      unallocated.put(id, row.received());
      invoices.add(new InvoiceSpec(id, row));
    }
    List<ConnectionSpec> connections = new ArrayList<>();
    int stored = r.nextInt(4);
    int fresh = 1 + r.nextInt(3);
    for (int n = 1; n <= stored + fresh; n++) {
      InvoiceSpec invoice =
          invoices.isEmpty() || r.nextBoolean() ? null : invoices.get(r.nextInt(invoices.size()));
      AccountSpec a =
          invoice == null
              ? accounts.get(r.nextInt(accounts.size()))
              : accounts.get((int) invoice.row().account() - 1);
      long paying = invoice == null ? 0 : invoice.id();
      if (n > stored) {
        connections.add(new ConnectionSpec(n, a.id(), paying, null));
        continue;
      }
      long budget = invoice == null ? a.id() : paying;
      BigInteger left = unallocated.get(budget);
      BigInteger received =
          switch (r.nextInt(4)) {
            case 0 -> BigInteger.ZERO;
            case 1 -> left;
            case 2 ->
                left.multiply(BigInteger.valueOf(r.nextInt(101))).divide(BigInteger.valueOf(100));
            default -> left.min(BigInteger.valueOf(1 + r.nextInt(100)));
          };
      unallocated.put(budget, left.subtract(received));
      BigInteger invoiceLeft =
          invoice == null ? null : invoice.row().amount().subtract(invoice.row().received());
      connections.add(
          new ConnectionSpec(n, a.id(), paying, connection(r, a, received, invoiceLeft)));
    }
    return new World(accounts, invoices, connections);
  }

  /**
   * An invoice of {@code a}, its received (at most {@code budget}, what the account received and no
   * other invoice or connection holds) short of its amount unless completed.
   */
  private static InvoiceRow invoice(SplittableRandom r, AccountSpec a, BigInteger budget) {
    BigInteger jitter = BigInteger.valueOf(r.nextInt(4));
    BigInteger amount =
        switch (r.nextInt(8)) {
          case 0 -> BigInteger.ONE;
          case 1, 2 -> BigInteger.valueOf(1 + r.nextInt(100));
          case 3 -> BigInteger.valueOf(1 + r.nextInt(5000));
          case 4 -> max;
          case 5 -> max.subtract(jitter);
          case 6 -> twoTo63.add(jitter);
          // About what the account may still take.
          default ->
              a.limit() == null
                  ? budget.add(jitter).min(max)
                  : a.limit().subtract(a.received()).add(jitter).subtract(BigInteger.ONE);
        };
    amount = amount.max(BigInteger.ONE).min(max);
    long expiresAt =
        switch (r.nextInt(8)) {
          case 0 -> Scenario.time(0) - 5;
          // Expiring exactly at a batch's time: that batch finds it closed.
          case 1 -> Scenario.time(r.nextInt(3));
          case 2 -> Scenario.time(1 + r.nextInt(3)) - 5;
          default -> Scenario.time(1_000);
        };
    int state = r.nextInt(8);
    if (state == 0 && amount.compareTo(budget) <= 0) {
      return new InvoiceRow(a.id(), amount, amount, false, expiresAt); // completed
    }
    BigInteger below = amount.subtract(BigInteger.ONE);
    BigInteger received =
        switch (r.nextInt(5)) {
          case 0, 1 -> BigInteger.ZERO;
          case 2 -> below;
          case 3 -> below.subtract(jitter).max(BigInteger.ZERO);
          default ->
              below.multiply(BigInteger.valueOf(r.nextInt(101))).divide(BigInteger.valueOf(100));
        };
    // Cancelled or expired (by the expiry worker) when not open.
    return new InvoiceRow(a.id(), amount, received.min(budget), state != 1, expiresAt);
  }

  private static AccountSpec account(SplittableRandom r, long id) {
    BigInteger small = BigInteger.valueOf(r.nextInt(500));
    BigInteger jitter = BigInteger.valueOf(r.nextInt(4));
    return switch (r.nextInt(8)) {
      case 0 -> new AccountSpec(id, BigInteger.ZERO, null);
      case 1 -> new AccountSpec(id, small, small.add(BigInteger.valueOf(r.nextInt(1000))));
      case 2 -> new AccountSpec(id, max.subtract(jitter), r.nextBoolean() ? null : max);
      // Full: the limit reached exactly.
      case 3 -> new AccountSpec(id, small, small);
      // The limit lowered below what the account had already received.
      case 4 ->
          new AccountSpec(
              id,
              small.add(BigInteger.TEN),
              small.add(BigInteger.TEN).subtract(BigInteger.valueOf(1 + r.nextInt(10))));
      case 5 -> new AccountSpec(id, twoTo63.subtract(jitter), r.nextBoolean() ? null : max);
      case 6 ->
          new AccountSpec(
              id, max.subtract(BigInteger.valueOf(1000 + r.nextInt(1000))), max.subtract(jitter));
      default -> new AccountSpec(id, small, r.nextBoolean() ? null : twoTo63);
    };
  }

  /**
   * A stored connection; on an invoice's, its streams advertise at most {@code invoiceLeft} more.
   */
  private static ConnectionRow connection(
      SplittableRandom r, AccountSpec account, BigInteger received, BigInteger invoiceLeft) {
    TreeMap<Long, StreamRow> streams = new TreeMap<>();
    List<Long> ids = distinctStreamIds(r, received.signum() > 0 ? 1 + r.nextInt(3) : r.nextInt(3));
    List<BigInteger> parts = split(r, received, ids.size());
    AccountRow a = new AccountRow(account.received(), account.limit());
    for (int i = 0; i < ids.size(); i++) {
      BigInteger got = parts.get(i);
      BigInteger receiveMax =
          switch (r.nextInt(4)) {
            case 0 -> LedgerModel.advertised(got, a);
            case 1 -> got;
            case 2 -> max;
            default -> got.add(BigInteger.valueOf(r.nextInt(1000))).min(max);
          };
      if (invoiceLeft != null) {
        receiveMax = receiveMax.min(got.add(invoiceLeft)).max(got);
      }
      streams.put(ids.get(i), new StreamRow(got, receiveMax, r.nextInt(4) == 0));
    }
    TreeMap<Long, BigInteger> credited = new TreeMap<>();
    long sequence = 1;
    for (BigInteger amount : split(r, received, 1 + r.nextInt(3))) {
      if (amount.signum() > 0) {
        credited.put(sequence++, amount);
      }
    }
    TreeMap<ChunkKey, Chunk> data = new TreeMap<>();
    switch (r.nextInt(4)) {
      case 0 -> {
        int length = maxDataBytes - r.nextInt(3);
        Chunk c = new Chunk(1, 0, length, (byte) r.nextInt(256));
        data.put(c.key(), c);
      }
      case 1 -> {
        for (long id : distinctStreamIds(r, 1 + r.nextInt(2))) {
          Chunk c = new Chunk(id, 0, 1 + r.nextInt(8), (byte) r.nextInt(256));
          data.put(c.key(), c);
        }
      }
      default -> {}
    }
    int bytes = data.values().stream().mapToInt(Chunk::length).sum();
    return new ConnectionRow(
        account.id(),
        received,
        credited.size() + r.nextInt(3),
        r.nextInt(3),
        r.nextInt(8) == 0,
        bytes,
        r.nextBoolean() ? null : "g.sender.0",
        streams,
        credited,
        data);
  }

  private static List<Long> distinctStreamIds(SplittableRandom r, int count) {
    TreeSet<Long> ids = new TreeSet<>();
    while (ids.size() < count) {
      ids.add(streamIds[r.nextInt(streamIds.length)]);
    }
    return new ArrayList<>(ids);
  }

  /** {@code total} in {@code count} parts that add up to it exactly (some may be zero). */
  private static List<BigInteger> split(SplittableRandom r, BigInteger total, int count) {
    List<BigInteger> parts = new ArrayList<>();
    if (count == 0) {
      return parts;
    }
    long[] weights = new long[count];
    for (int i = 0; i < count; i++) {
      weights[i] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(100);
    }
    weights[0] = Math.max(weights[0], 1);
    return Resolver.split(total, weights);
  }

  /** One byte, a few, up to the bound exactly, one past it. */
  static final int[] sizeWeights = {4, 8, 3, 2};

  /**
   * How often each amount kind is drawn: ordinary amounts most, each edge often enough to be met.
   */
  static final int[] amountWeights = {8, 8, 20, 5, 5, 5, 8, 5, 5, 12, 8, 5, 10, 6};

  static <T> T pick(SplittableRandom r, int[] weights, T[] values) {
    int roll = r.nextInt(Arrays.stream(weights).sum());
    for (int i = 0; ; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return values[i];
      }
    }
  }

  static Intent intent(SplittableRandom r, int connections) {
    int roll = r.nextInt(100);
    SequenceKind sequence =
        roll < 55
            ? SequenceKind.FRESH
            : roll < 72
                ? SequenceKind.RETRY_SAME_AMOUNT
                : roll < 82
                    ? SequenceKind.RETRY_OTHER_AMOUNT
                    : roll < 92 ? SequenceKind.ANY_USED : SequenceKind.LOW;
    AmountKind amount = pick(r, amountWeights, AmountKind.values());
    long jitter = r.nextInt(3) == 0 ? 1 + r.nextInt(1000) : r.nextInt(3);
    List<StreamIntent> streams = new ArrayList<>();
    int streamCount = new int[] {0, 1, 1, 1, 1, 1, 2, 2, 3}[r.nextInt(9)];
    for (int i = 0; i < streamCount; i++) {
      long weight =
          r.nextInt(6) == 0
              ? 0
              : r.nextInt(8) == 0 ? Long.MAX_VALUE - r.nextInt(3) : 1 + r.nextInt(5);
      streams.add(
          new StreamIntent(streamIds[r.nextInt(streamIds.length)], weight, r.nextInt(6) == 0));
    }
    List<DataIntent> data = new ArrayList<>();
    int dataCount = new int[] {0, 0, 0, 0, 0, 1, 1, 1, 2}[r.nextInt(9)];
    for (int i = 0; i < dataCount; i++) {
      int kind = r.nextInt(20);
      data.add(
          new DataIntent(
              kind < 6
                  ? DataKind.REPEAT_KEPT
                  : kind < 18 ? DataKind.NEW : DataKind.REPEAT_IN_PACKET,
              streamIds[r.nextInt(streamIds.length)],
              r.nextInt(1000),
              pick(r, sizeWeights, Size.values()),
              (byte) r.nextInt(256)));
    }
    return new Intent(
        r.nextInt(connections),
        sequence,
        r.nextInt(1000),
        amount,
        jitter,
        r.nextInt(9) != 0,
        r.nextInt(30) == 0,
        r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0,
        streams,
        data);
  }
}
