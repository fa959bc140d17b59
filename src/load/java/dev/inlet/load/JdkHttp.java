package dev.inlet.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code java.net.http} client, HTTP/1.1 with keep-alive. It has no connection cap of its own: the callers keep
 * at most {@code clients} requests in flight, so it opens at most that many connections.
 */
final class JdkHttp implements Http {
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "inlet-load-jdk");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient client;
  private final String base;
  private final URI ilp;
  private final String connectorAuth;

  JdkHttp(int port, int clients, String connectorToken) {
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .executor(executor)
        .build();
    this.base = "http://127.0.0.1:" + port;
    this.ilp = URI.create(base + "/ilp");
    this.connectorAuth = "Bearer " + connectorToken;
  }

  @Override
  public CompletableFuture<Response> postIlp(byte[] prepare) {
    return send(HttpRequest.newBuilder(ilp)
        .header("Authorization", connectorAuth)
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(prepare)));
  }

  @Override
  public CompletableFuture<Response> get(String path, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    headers.forEach(b::header);
    return send(b);
  }

  @Override
  public CompletableFuture<Response> postJson(String path, Map<String, String> headers, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(b::header);
    return send(b);
  }

  private CompletableFuture<Response> send(HttpRequest.Builder request) {
    return client.sendAsync(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(r -> new Response(r.statusCode(), r.body()));
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
