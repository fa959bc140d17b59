package dev.inlet.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint for tests: the JDK's HTTP server on 127.0.0.1, recording every request with
 * whether its {@code Inlet-Signature} verifies under the secret it is given, and answering each
 * with the status a rule picks from the request's number (1 for the first). It counts the requests
 * it is handling at once (and the most at once): one at a time unless given threads.
 */
final class WebhookReceiver implements AutoCloseable {
  /** A request as received. */
  record Received(Map<String, List<String>> headers, String body, boolean signatureValid) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();

  /** The most requests handled at once so far. */
  final AtomicInteger maxConcurrent = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger concurrent = new AtomicInteger();
  private volatile String secret;
  private volatile IntUnaryOperator status;

  WebhookReceiver(IntUnaryOperator status) {
    this(status, 1, Duration.ZERO);
  }

  /**
   * A receiver handling up to {@code threads} requests at once, each taking at least {@code delay}
   * before its answer (so that concurrent requests overlap).
   */
  WebhookReceiver(IntUnaryOperator status, int threads, Duration delay) {
    this.status = status;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    server.setExecutor(executor);
    server.createContext(
        "/hook",
        exchange -> {
          maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
          try {
            Thread.sleep(delay.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = exchange.getRequestBody().readAllBytes();
          String signature = exchange.getRequestHeaders().getFirst("Inlet-Signature");
          received.add(
              new Received(
                  Map.copyOf(exchange.getRequestHeaders()),
                  new String(body, StandardCharsets.UTF_8),
                  verifies(signature, body)));
          int code = this.status.applyAsInt(count.incrementAndGet());
          concurrent.decrementAndGet(); // answered from here on
          byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
          if (code == 204) {
            exchange.sendResponseHeaders(code, -1);
          } else {
            exchange.sendResponseHeaders(code, answer.length);
            exchange.getResponseBody().write(answer);
          }
          exchange.close();
        });
    server.start();
  }

  /** The URL Inlet is to post to. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  void secret(String secret) {
    this.secret = secret;
  }

  void status(IntUnaryOperator status) {
    this.status = status;
  }

  /** {@code t=<seconds>,v1=<hex>} checked as a receiver would: HMAC of "t.body", time near now. */
  private boolean verifies(String header, byte[] body) {
    if (header == null || secret == null || !header.matches("t=[0-9]+,v1=[0-9a-f]{64}")) {
      return false;
    }
    String t = header.substring(2, header.indexOf(','));
    String v1 = header.substring(header.indexOf("v1=") + 3);
    if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) > 300) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return java.util.HexFormat.of().formatHex(mac.doFinal(body)).equals(v1);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
