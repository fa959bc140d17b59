package dev.inlet.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.inlet.webhook.WebhookSecrets;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The merchant's webhook endpoint in the benchmark process: {@code POST /hook} on 127.0.0.1 answers
 * 200 at once, counts deliveries, records each one's lag (arrival − the event's {@code created_at},
 * milliseconds) and checks the {@code Inlet-Signature} HMAC of the first delivery and every {@value
 * #verifyEvery}th after it ({@link WebhookSecrets#signature}; a mismatch is a failure of the run).
 */
final class WebhookReceiver implements AutoCloseable {
  private static final int verifyEvery = 1000;
  private final HttpServer server;
  private final ExecutorService threads;
  private volatile String secret;
  final LongAdder deliveries = new LongAdder();
  final LongAdder verified = new LongAdder();

  /** Highest {@code Inlet-Event-Id} received, and when the last delivery arrived (epoch ms). */
  final AtomicLong lastEventId = new AtomicLong();

  final AtomicLong lastArrivalMillis = new AtomicLong();
  final AtomicReference<String> badSignature = new AtomicReference<>();
  private final Recorder lag = new Recorder(3);

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    // Inlet makes at most 2 attempts at once per webhook: a few threads answer them all.
    threads = Executors.newFixedThreadPool(4, r -> daemon(r));
    server.setExecutor(threads);
    server.createContext("/hook", this::handle);
    server.start();
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "load-webhook-receiver");
    t.setDaemon(true);
    return t;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The webhook's signing secret, once {@code POST /v1/webhooks} returned it. */
  void secret(String secret) {
    this.secret = secret;
  }

  /** Delivery lags recorded since the last call, milliseconds. */
  Histogram lagSinceLast() {
    return lag.getIntervalHistogram();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    long now = System.currentTimeMillis();
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
    long n = deliveries.sum();
    deliveries.increment();
    lastArrivalMillis.accumulateAndGet(now, Math::max);
    String id = exchange.getRequestHeaders().getFirst("Inlet-Event-Id");
    if (id != null) {
      lastEventId.accumulateAndGet(Long.parseLong(id), Math::max);
    }
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    int at = text.indexOf("\"created_at\"");
    if (at >= 0) {
      int start = text.indexOf('"', text.indexOf(':', at) + 1) + 1;
      int end = text.indexOf('"', start);
      try {
        lag.recordValue(
            Math.max(0, now - Instant.parse(text.substring(start, end)).toEpochMilli()));
      } catch (RuntimeException e) {
        badSignature.compareAndSet(null, "unreadable created_at in " + text);
      }
    }
    if (n % verifyEvery == 0) {
      verify(exchange.getRequestHeaders().getFirst("Inlet-Signature"), body);
    }
  }

  private void verify(String header, byte[] body) {
    String s = secret;
    if (header == null || s == null || !header.startsWith("t=") || !header.contains(",v1=")) {
      badSignature.compareAndSet(null, "delivery without a readable Inlet-Signature: " + header);
      return;
    }
    long t = Long.parseLong(header.substring(2, header.indexOf(',')));
    if (!WebhookSecrets.signature(s, t, body).equals(header)) {
      badSignature.compareAndSet(null, "Inlet-Signature does not verify: " + header);
    } else {
      verified.increment();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
