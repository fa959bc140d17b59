package dev.inlet.load;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The load generator's HTTP client to one Inlet on 127.0.0.1: keep-alive connections, at most {@code clients}
 * of them. Futures complete with the status and body, or exceptionally on a transport failure.
 */
interface Http extends AutoCloseable {
  /** {@code POST /ilp} with the connector token: body an OER ILP Prepare. */
  CompletableFuture<Response> postIlp(byte[] prepare);

  /** A GET with the given headers. */
  CompletableFuture<Response> get(String path, Map<String, String> headers);

  /** A POST of a JSON body with the given headers. */
  CompletableFuture<Response> postJson(String path, Map<String, String> headers, String json);

  @Override
  void close();

  record Response(int status, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static Http create(String kind, int port, int clients, String connectorToken) {
    return kind.equals("jdk") ? new JdkHttp(port, clients, connectorToken) : new NettyHttp(port, clients, connectorToken);
  }
}
