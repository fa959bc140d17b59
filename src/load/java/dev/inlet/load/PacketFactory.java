package dev.inlet.load;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.StreamKeys;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Builds valid, unique, encrypted STREAM Prepares with Inlet's own codec and crypto, before any timed phase:
 * each carries a {@code StreamMoney} frame for stream 1, a sequence never used before on its connection, an
 * amount from 1 to 1000 and {@code prepareAmount} 0, and its condition is the one Inlet's fulfillment meets.
 */
final class PacketFactory {
  /** A STREAM connection opened through SPSP. */
  static final class Connection {
    final IlpAddress destination;
    final StreamKeys keys;
    /** Next unused sequence; touched by one builder thread at a time. */
    long nextSequence = 1;

    Connection(IlpAddress destination, StreamKeys keys) {
      this.destination = destination;
      this.keys = keys;
    }
  }

  private static final List<StreamFrame> money = List.of(new StreamMoney(1, 1));
  private static final List<StreamFrame> close = List.of(new ConnectionClose(StreamErrorCode.NO_ERROR, ""));

  private final List<Connection> connections;
  private final List<Connection> churn;
  private int churnUsed;
  private long built;

  PacketFactory(List<Connection> connections, List<Connection> churn) {
    this.connections = connections;
    this.churn = churn;
  }

  /**
   * {@code packets} Prepares spread round-robin over the connections, with {@code churnUnits} churn connections
   * (a paying Prepare, then a 0-amount {@code ConnectionClose}) spread evenly among them.
   *
   * @param expiresAt expiry of every Prepare
   */
  Pool build(int packets, int churnUnits, Instant expiresAt) {
    churnUnits = Math.min(churnUnits, churn.size() - churnUsed);
    int n = connections.size();
    byte[][] regular = new byte[packets][];
    int[] regularAmounts = new int[packets];
    // Each connection builds its own packets (its sequences stay in order); connections in parallel.
    IntStream.range(0, n).parallel().forEach(c -> {
      Connection conn = connections.get(c);
      for (int i = c; i < packets; i += n) {
        int amount = amount(built + i);
        regular[i] = prepare(conn, conn.nextSequence++, amount, money, expiresAt);
        regularAmounts[i] = amount;
      }
    });
    int firstChurn = churnUsed;
    byte[][] churnBodies = new byte[churnUnits * 2][];
    int[] churnAmounts = new int[churnUnits * 2];
    IntStream.range(0, churnUnits).parallel().forEach(j -> {
      Connection conn = churn.get(firstChurn + j);
      int amount = amount(built + packets + j);
      churnBodies[2 * j] = prepare(conn, conn.nextSequence++, amount, money, expiresAt);
      churnAmounts[2 * j] = amount;
      churnBodies[2 * j + 1] = prepare(conn, conn.nextSequence++, 0, close, expiresAt);
    });
    churnUsed += churnUnits;
    built += packets + churnUnits;

    // Interleave: one churn unit after every `every` regular packets.
    int total = packets + 2 * churnUnits;
    byte[][] bodies = new byte[total][];
    int[] amounts = new int[total];
    int[] unitStart = new int[packets + churnUnits + 1];
    long every = churnUnits == 0 ? Long.MAX_VALUE : Math.max(1, packets / churnUnits);
    int p = 0;
    int u = 0;
    int nextChurn = 0;
    for (int i = 0; i < packets; i++) {
      unitStart[u++] = p;
      bodies[p] = regular[i];
      amounts[p++] = regularAmounts[i];
      if ((i + 1) % every == 0 && nextChurn < churnUnits) {
        p = addChurn(bodies, amounts, unitStart, churnBodies, churnAmounts, nextChurn++, p, u++);
      }
    }
    while (nextChurn < churnUnits) {
      p = addChurn(bodies, amounts, unitStart, churnBodies, churnAmounts, nextChurn++, p, u++);
    }
    unitStart[u] = p;
    return new Pool(bodies, amounts, unitStart, churnUnits);
  }

  private static int addChurn(byte[][] bodies, int[] amounts, int[] unitStart, byte[][] churnBodies,
      int[] churnAmounts, int j, int p, int u) {
    unitStart[u] = p;
    for (int k = 0; k < 2; k++) {
      bodies[p] = churnBodies[2 * j + k];
      amounts[p++] = churnAmounts[2 * j + k];
    }
    return p;
  }

  /** 1..1000, spread by a fixed mixing of the packet's number. */
  private static int amount(long i) {
    long x = (i + 1) * 0x9E3779B97F4A7C15L;
    x ^= x >>> 29;
    return 1 + (int) Long.remainderUnsigned(x, 1000);
  }

  private static byte[] prepare(Connection conn, long sequence, int amount, List<StreamFrame> frames,
      Instant expiresAt) {
    byte[] data = conn.keys.encrypt(StreamCodec.encode(new StreamPacket(IlpPacketType.PREPARE, sequence, 0, frames)));
    byte[] condition = Conditions.condition(conn.keys.fulfillment(data));
    return IlpCodec.encode(new IlpPrepare(amount, expiresAt, condition, conn.destination, data));
  }
}
