package dev.inlet.warmup;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.Receipts;
import dev.inlet.crypto.StreamKeys;
import dev.inlet.crypto.TargetKind;
import dev.inlet.stream.StreamReceiver;
import dev.inlet.transport.IlpHttpServer;
import dev.inlet.transport.IlpOverHttp;
import dev.inlet.transport.PacketMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The self-warm-up ({@code INLET_WARMUP}): before Inlet reports ready, it drives its real packet
 * path for a few seconds so that the JIT has compiled it before the first connector's packets
 * arrive (on 2 cores, compiling under load took Inlet's first 10 s to a third of its warmed rate).
 *
 * <p>A second ILP-over-HTTP listener on a loopback port of its own — the same Netty pipeline,
 * request decoder and connection handler as {@code POST /ilp} — feeds a {@link StreamReceiver} of
 * the same address, asset and server secret; {@link #clients} blocking clients post synthetic,
 * encrypted STREAM Prepares to connection tokens issued for it (half with receipts, one in sixteen
 * an unfulfillable rate probe). Everything a packet costs runs: HTTP parsing, the connector's
 * token, OER, AES-GCM decryption and encryption, the fulfillment HMAC, {@code PacketPlan}, the
 * STREAM reply and its receipt. What it does not touch: the ledger (a {@link DryLedger} answers and
 * records nothing: no row, no balance, no connection), the admission gate, Inlet's metrics (its own
 * registry) and the public listener, whose port and connections stay the operator's.
 */
public final class PacketPathWarmup {
  private static final Logger log = LoggerFactory.getLogger(PacketPathWarmup.class);

  /** Concurrent clients, each on its own keep-alive connection: one per event loop on 4 cores. */
  static final int clients = 4;

  /** STREAM connections the clients pay on, round-robin. */
  static final int connections = 8;

  /** One packet in this many is a rate probe, with a condition no fulfillment meets. */
  static final int probeEvery = 16;

  /** The account segment of the warm-up's connection addresses. */
  static final String accountSegment = "warmup";

  /**
   * What a warm-up did.
   *
   * @param packets Prepares answered
   * @param fulfilled of them, answered with a Fulfill
   * @param failures requests that did not end in an ILP answer (none when the path works)
   * @param took how long it ran
   * @param port the loopback port its listener had, closed since
   */
  public record Result(long packets, long fulfilled, long failures, Duration took, int port) {
    /** No warm-up has run. */
    public static final Result none = new Result(0, 0, 0, Duration.ZERO, -1);
  }

  private final IlpAddress address;
  private final String assetCode;
  private final int assetScale;
  private final ConnectionTokens tokens;
  private final String connectorToken;
  private final JsonMapper json;
  private final Duration duration;
  private volatile Result last = Result.none;

  /**
   * @param address the receiver's ILP address, as the real receiver's
   * @param connectorToken the bearer token the listener admits (the real one's)
   * @param duration how long to run; zero: do nothing
   */
  public PacketPathWarmup(
      IlpAddress address,
      String assetCode,
      int assetScale,
      ConnectionTokens tokens,
      String connectorToken,
      JsonMapper json,
      Duration duration) {
    this.address = address;
    this.assetCode = assetCode;
    this.assetScale = assetScale;
    this.tokens = tokens;
    this.connectorToken = connectorToken;
    this.json = json;
    this.duration = duration;
  }

  /** The last run's result; {@link Result#none} before one (and when turned off). */
  public Result last() {
    return last;
  }

  /**
   * Runs the warm-up for its duration, then closes its listener. Never throws: a failure is logged
   * and counted, since serving does not depend on it.
   */
  public Result run() {
    if (duration.isZero()) {
      log.info("Packet path warm-up off (INLET_WARMUP=0)");
      return last;
    }
    long start = System.nanoTime();
    try {
      last = drive(start);
    } catch (RuntimeException e) {
      // A listener that cannot start, say: Inlet serves all the same, only colder.
      last = new Result(0, 0, 1, Duration.ofNanos(System.nanoTime() - start), -1);
      log.warn("Packet path warm-up failed: {}", e.toString());
      return last;
    }
    if (last.failures() > 0 || last.fulfilled() == 0) {
      log.warn("Packet path warm-up did not run cleanly: {}", last);
    } else {
      log.info(
          "Packet path warmed up before readiness: {} Prepares in {} ms ({} fulfilled), no money"
              + " moved",
          last.packets(),
          last.took().toMillis(),
          last.fulfilled());
    }
    return last;
  }

  /** Starts the listener and the clients, waits for them, closes the listener. */
  private Result drive(long start) {
    StreamReceiver receiver =
        new StreamReceiver(
            address, assetCode, assetScale, tokens, new DryLedger(), Clock.systemUTC());
    IlpOverHttp ilp =
        new IlpOverHttp(
            receiver,
            new PacketMetrics(new SimpleMeterRegistry()),
            connectorToken,
            json,
            Duration.ofSeconds(60),
            Duration.ofSeconds(10));
    IlpHttpServer server = new IlpHttpServer(ilp, InetAddress.getLoopbackAddress(), 0);
    server.start();
    int port = server.port();
    AtomicLong packets = new AtomicLong();
    AtomicLong fulfilled = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    long deadline = start + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    try {
      List<Connection> paying = connections();
      for (int c = 0; c < clients; c++) {
        int first = c;
        Thread t =
            new Thread(
                () -> post(port, paying, first, deadline, packets, fulfilled, failures),
                "inlet-warmup-" + c);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      receiver.stopAccepting();
      server.stop();
    }
    return new Result(
        packets.get(),
        fulfilled.get(),
        failures.get(),
        Duration.ofNanos(System.nanoTime() - start),
        port);
  }

  /** A STREAM connection of the warm-up: its address, keys and next sequence (one client each). */
  private static final class Connection {
    final IlpAddress destination;
    final StreamKeys keys;
    long sequence = 1;

    Connection(IlpAddress destination, StreamKeys keys) {
      this.destination = destination;
      this.keys = keys;
    }
  }

  private List<Connection> connections() {
    SecureRandom random = new SecureRandom();
    List<Connection> list = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      byte[] nonce = null;
      byte[] secret = null;
      if (i % 2 == 1) {
        nonce = new byte[Receipts.nonceBytes];
        secret = new byte[Receipts.secretBytes];
        random.nextBytes(nonce);
        random.nextBytes(secret);
      }
      // Target 0: no account has it, and the dry ledger never looks.
      String token = tokens.issue(TargetKind.ACCOUNT, 0, nonce, secret);
      list.add(
          new Connection(
              IlpAddress.of(address.value() + "." + accountSegment + "." + token),
              StreamKeys.derive(tokens.sharedSecret(ConnectionTokens.connectionIdOf(token)))));
    }
    return list;
  }

  /** One client: posts Prepares on the connections {@code first}, {@code first + clients}, ... */
  private void post(
      int port,
      List<Connection> paying,
      int first,
      long deadline,
      AtomicLong packets,
      AtomicLong fulfilled,
      AtomicLong failures) {
    List<StreamFrame> money = List.of(new StreamMoney(1, 1));
    byte[] head =
        ("POST /ilp HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nAuthorization: Bearer "
                + connectorToken
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: ")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] probeCondition = new byte[Conditions.lengthBytes];
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (long k = 0; System.nanoTime() < deadline; k++) {
        Connection c = paying.get((int) ((first + k * clients) % paying.size()));
        byte[] data =
            c.keys.encrypt(
                StreamCodec.encode(
                    new StreamPacket(IlpPacketType.PREPARE, c.sequence++, 0, money)));
        byte[] condition =
            k % probeEvery == probeEvery - 1
                ? probeCondition
                : Conditions.condition(c.keys.fulfillment(data));
        byte[] body =
            IlpCodec.encode(
                new IlpPrepare(
                    1 + k % 1000, Instant.now().plusSeconds(30), condition, c.destination, data));
        out.write(head);
        out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        IlpPacket reply = IlpCodec.decode(readResponse(in));
        packets.incrementAndGet();
        if (reply instanceof IlpFulfill) {
          fulfilled.incrementAndGet();
        }
      }
    } catch (IOException | DecodeException | RuntimeException e) {
      failures.incrementAndGet();
      log.debug("Warm-up client stopped: {}", e.toString());
    }
  }

  /**
   * Reads one HTTP/1.1 response with a {@code Content-Length} body and returns the body.
   *
   * @throws IOException on anything but a 200 with a body
   */
  private static byte[] readResponse(InputStream in) throws IOException {
    StringBuilder headers = new StringBuilder();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      headers.append((char) b);
      matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = headers.toString();
    if (!text.startsWith("HTTP/1.1 200")) {
      throw new IOException("answered " + text.lines().findFirst().orElse(""));
    }
    int length = -1;
    for (String line : text.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length");
    }
    return in.readNBytes(length);
  }
}
