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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Builds valid, unique, encrypted STREAM Prepares with Inlet's own codec and crypto, before any
 * timed phase: each carries a {@code StreamMoney} frame for stream 1, a sequence never used before
 * on its connection, an amount from 1 to 1000 and {@code prepareAmount} 0, and its condition is the
 * one Inlet's fulfillment meets. Each comes as the whole HTTP/1.1 request that posts it to {@code
 * /ilp}, so that sending costs no formatting.
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
  private static final List<StreamFrame> close =
      List.of(new ConnectionClose(StreamErrorCode.NO_ERROR, ""));

  private final List<Connection> connections;
  private final List<Connection> churn;

  /** Every request's head, up to its Content-Length's value. */
  private final byte[] head;

  private int churnUsed;
  private long built;

  /** For Inlet on 127.0.0.1:{@code port}, the requests sent with its {@code connectorToken}. */
  PacketFactory(
      List<Connection> connections, List<Connection> churn, int port, String connectorToken) {
    this.connections = connections;
    this.churn = churn;
    this.head =
        ("POST /ilp HTTP/1.1\r\n"
                + "Host: 127.0.0.1:"
                + port
                + "\r\n"
                + "Authorization: Bearer "
                + connectorToken
                + "\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Length: ")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * {@code packets} Prepares spread round-robin over the connections, with {@code churnUnits} churn
   * connections (a paying Prepare, then a 0-amount {@code ConnectionClose}) spread evenly among
   * them.
   *
   * @param expiresAt expiry of every Prepare
   */
  Pool build(int packets, int churnUnits, Instant expiresAt) {
    churnUnits = Math.min(churnUnits, churn.size() - churnUsed);
    int n = connections.size();
    byte[][] regular = new byte[packets][];
    int[] regularAmounts = new int[packets];
    // Each connection builds its own packets (its sequences stay in order); connections in
    // parallel.
    IntStream.range(0, n)
        .parallel()
        .forEach(
            c -> {
              Connection conn = connections.get(c);
              for (int i = c; i < packets; i += n) {
                int amount = amount(built + i);
                regular[i] = request(conn, conn.nextSequence++, amount, money, expiresAt);
                regularAmounts[i] = amount;
              }
            });
    int firstChurn = churnUsed;
    byte[][] churnRequests = new byte[churnUnits * 2][];
    int[] churnAmounts = new int[churnUnits * 2];
    IntStream.range(0, churnUnits)
        .parallel()
        .forEach(
            j -> {
              Connection conn = churn.get(firstChurn + j);
              int amount = amount(built + packets + j);
              churnRequests[2 * j] = request(conn, conn.nextSequence++, amount, money, expiresAt);
              churnAmounts[2 * j] = amount;
              churnRequests[2 * j + 1] = request(conn, conn.nextSequence++, 0, close, expiresAt);
            });
    churnUsed += churnUnits;
    built += packets + churnUnits;

    // Interleave: one churn unit after every `every` regular packets.
    int total = packets + 2 * churnUnits;
    byte[][] requests = new byte[total][];
    int[] bodyStart = new int[total];
    int[] amounts = new int[total];
    int[] unitStart = new int[packets + churnUnits + 1];
    long every = churnUnits == 0 ? Long.MAX_VALUE : Math.max(1, packets / churnUnits);
    int p = 0;
    int u = 0;
    int nextChurn = 0;
    for (int i = 0; i < packets; i++) {
      unitStart[u++] = p;
      requests[p] = regular[i];
      amounts[p++] = regularAmounts[i];
      if ((i + 1) % every == 0 && nextChurn < churnUnits) {
        p =
            addChurn(
                requests, amounts, unitStart, churnRequests, churnAmounts, nextChurn++, p, u++);
      }
    }
    while (nextChurn < churnUnits) {
      p = addChurn(requests, amounts, unitStart, churnRequests, churnAmounts, nextChurn++, p, u++);
    }
    unitStart[u] = p;
    for (int i = 0; i < total; i++) {
      bodyStart[i] = bodyStart(requests[i]);
    }
    return new Pool(requests, bodyStart, amounts, unitStart, churnUnits);
  }

  private static int addChurn(
      byte[][] requests,
      int[] amounts,
      int[] unitStart,
      byte[][] churnRequests,
      int[] churnAmounts,
      int j,
      int p,
      int u) {
    unitStart[u] = p;
    for (int k = 0; k < 2; k++) {
      requests[p] = churnRequests[2 * j + k];
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

  /** The request posting a Prepare. */
  private byte[] request(
      Connection conn, long sequence, int amount, List<StreamFrame> frames, Instant expiresAt) {
    byte[] data =
        conn.keys.encrypt(
            StreamCodec.encode(new StreamPacket(IlpPacketType.PREPARE, sequence, 0, frames)));
    byte[] condition = Conditions.condition(conn.keys.fulfillment(data));
    byte[] body =
        IlpCodec.encode(new IlpPrepare(amount, expiresAt, condition, conn.destination, data));
    byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = Arrays.copyOf(head, head.length + length.length + body.length);
    System.arraycopy(length, 0, request, head.length, length.length);
    System.arraycopy(body, 0, request, head.length + length.length, body.length);
    return request;
  }

  /** Where a request's body starts: after its Content-Length's digits and the blank line. */
  private int bodyStart(byte[] request) {
    int i = head.length;
    while (request[i] != '\r') {
      i++;
    }
    return i + 4;
  }
}
