package dev.inlet.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty client, over a fixed pool of {@code clients} keep-alive connections on its own
 * event loops: the benchmark's setup queries, and with {@code --http-client=reactor} its Prepares
 * too (the generator's former client, kept to cross-check {@link RawIlpClient}: it takes several
 * times its CPU per request).
 */
final class ReactorHttp implements IlpTransport, AutoCloseable {
  private static final byte[] empty = new byte[0];
  private final ConnectionProvider pool;
  private final LoopResources loops;
  private final HttpClient client;
  private final HttpClient ilp;
  private final EventExecutor pacer =
      new DefaultEventExecutor(new DefaultThreadFactory("load-pacer", true));

  /**
   * @param port the web server's port (SPSP queries)
   * @param ilpPort where {@code POST /ilp} is served
   */
  ReactorHttp(int port, int ilpPort, int clients, String connectorToken) {
    this.pool =
        ConnectionProvider.builder("inlet-load")
            .maxConnections(clients)
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofSeconds(60))
            .build();
    // Two event loops: the machine the benchmark is meant for has few cores, shared with Inlet and
    // PostgreSQL.
    this.loops = LoopResources.create("inlet-load", 2, true);
    this.client =
        HttpClient.create(pool)
            .runOn(loops)
            .host("127.0.0.1")
            .port(port)
            .keepAlive(true)
            .responseTimeout(Duration.ofSeconds(60));
    this.ilp =
        client
            .port(ilpPort)
            .headers(
                h ->
                    h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + connectorToken)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream"));
  }

  /** The status and body of an answer. */
  record Response(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A GET with the given headers; the future fails on a transport failure. */
  CompletableFuture<Response> get(String path, Map<String, String> headers) {
    return send(client, HttpMethod.GET, path, headers, null);
  }

  /** Any line: the connection pool, capped at {@code clients}, picks the connection. */
  @Override
  public void send(int line, Pool pool, int p, Answer answer) {
    CompletableFuture<Response> response;
    try {
      response =
          send(
              ilp,
              HttpMethod.POST,
              "/ilp",
              Map.of(),
              Unpooled.wrappedBuffer(pool.requests[p], pool.bodyStart[p], pool.bodyLength(p)));
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    BiConsumer<Response, Throwable> deliver =
        (r, e) -> {
          if (e == null) {
            answer.answered(r.status(), r.body());
          } else {
            answer.failed(
                (e instanceof CompletionException && e.getCause() != null ? e.getCause() : e)
                    .getClass()
                    .getSimpleName());
          }
        };
    if (response.isDone()) {
      response.whenCompleteAsync(deliver);
    } else {
      response.whenComplete(deliver);
    }
  }

  @Override
  public EventExecutor pacer() {
    return pacer;
  }

  private static CompletableFuture<Response> send(
      HttpClient client,
      HttpMethod method,
      String path,
      Map<String, String> headers,
      ByteBuf body) {
    return client
        .request(method)
        .uri(path)
        .send(
            (request, out) -> {
              headers.forEach(request::header);
              if (body == null) {
                return out;
              }
              request.header(
                  HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.readableBytes()));
              return out.send(Mono.just(body));
            })
        .responseSingle(
            (response, content) ->
                content
                    .asByteArray()
                    .defaultIfEmpty(empty)
                    .map(bytes -> new Response(response.status().code(), bytes)))
        .toFuture();
  }

  @Override
  public void close() {
    pool.disposeLater().block(Duration.ofSeconds(10));
    loops.disposeLater().block(Duration.ofSeconds(10));
    pacer.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
