package dev.inlet.load;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/** Reactor Netty client: a fixed pool of {@code clients} keep-alive connections on its own event loops. */
final class NettyHttp implements Http {
  private static final byte[] empty = new byte[0];
  private final ConnectionProvider pool;
  private final LoopResources loops;
  private final HttpClient client;
  private final HttpClient ilp;

  NettyHttp(int port, int clients, String connectorToken) {
    this.pool = ConnectionProvider.builder("inlet-load")
        .maxConnections(clients)
        .pendingAcquireMaxCount(-1)
        .pendingAcquireTimeout(Duration.ofSeconds(60))
        .build();
    // Two event loops: the machine the benchmark is meant for has few cores, shared with Inlet and PostgreSQL.
    this.loops = LoopResources.create("inlet-load", 2, true);
    this.client = HttpClient.create(pool)
        .runOn(loops)
        .host("127.0.0.1")
        .port(port)
        .keepAlive(true)
        .responseTimeout(Duration.ofSeconds(60));
    this.ilp = client.headers(h -> h
        .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + connectorToken)
        .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream"));
  }

  @Override
  public CompletableFuture<Response> postIlp(byte[] prepare) {
    return send(ilp, HttpMethod.POST, "/ilp", Map.of(), prepare);
  }

  @Override
  public CompletableFuture<Response> get(String path, Map<String, String> headers) {
    return send(client, HttpMethod.GET, path, headers, null);
  }

  @Override
  public CompletableFuture<Response> postJson(String path, Map<String, String> headers, String json) {
    return send(client, HttpMethod.POST, path, headers, json.getBytes(StandardCharsets.UTF_8));
  }

  private static CompletableFuture<Response> send(HttpClient client, HttpMethod method, String path,
      Map<String, String> headers, byte[] body) {
    return client.request(method)
        .uri(path)
        .send((request, out) -> {
          headers.forEach(request::header);
          if (body == null) {
            return out;
          }
          request.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
          return out.send(Mono.just(Unpooled.wrappedBuffer(body)));
        })
        .responseSingle((response, content) -> content.asByteArray()
            .defaultIfEmpty(empty)
            .map(bytes -> new Response(response.status().code(), bytes)))
        .toFuture();
  }

  @Override
  public void close() {
    pool.disposeLater().block(Duration.ofSeconds(10));
    loops.disposeLater().block(Duration.ofSeconds(10));
  }
}
