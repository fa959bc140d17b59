package dev.inlet.spsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.inlet.stream.sender.AssetDetails;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SPSP client against a JDK HTTP server answering what each test needs. */
class SpspClientTest {
  private static final byte[] secret = new byte[32];
  private static final String secretBase64 = Base64.getEncoder().encodeToString(secret);

  private HttpServer server;
  private volatile int status = 200;
  private volatile String contentType = "application/spsp4+json";
  private volatile String body;
  private volatile long delayMillis;
  private volatile String acceptSeen;

  private final SpspClient client =
      new SpspClient(new SpspClientSettings(true, true, Duration.ofMillis(500), 4096));

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          acceptSeen = exchange.getRequestHeaders().getFirst("Accept");
          String path = exchange.getRequestURI().getPath();
          if (path.equals("/redirect") || path.equals("/loop")) {
            exchange
                .getResponseHeaders()
                .set("Location", path.equals("/loop") ? "/loop" : "/alice");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
            return;
          }
          if (path.equals("/slow-body")) {
            byte[] start = "{\"destination_account\":".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(start);
              out.flush();
              Thread.sleep(2_000);
            } catch (IOException | InterruptedException e) {
              // the client gave up
            }
            return;
          }
          try {
            Thread.sleep(delayMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", contentType);
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          } catch (IOException e) {
            // the client gave up (timeout test)
          }
        });
    server.start();
    body =
        "{\"destination_account\":\"test.receiver.alice.abc\",\"shared_secret\":\""
            + secretBase64
            + "\"}";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/alice";
  }

  private SpspAnswer resolve() throws Exception {
    return client.resolve(url()).get(5, TimeUnit.SECONDS);
  }

  private SpspException failure(String target) throws Exception {
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> client.resolve(target).get(5, TimeUnit.SECONDS));
    return assertInstanceOf(SpspException.class, e.getCause());
  }

  private SpspException failure() throws Exception {
    return failure(url());
  }

  @Test
  void readsTheDestinationAndSharedSecret() throws Exception {
    SpspAnswer answer = resolve();
    assertEquals("test.receiver.alice.abc", answer.destination().value());
    assertArrayEquals(secret, answer.sharedSecret());
    assertEquals(Optional.empty(), answer.assetInfo());
    assertFalse(answer.receiptsEnabled());
    assertTrue(acceptSeen.contains("application/spsp4+json"), acceptSeen);
  }

  @Test
  void readsAssetInfoAndReceipts() throws Exception {
    body =
        "{\"destination_account\":\"test.receiver.alice.abc\",\"shared_secret\":\""
            + secretBase64
            + "\",\"receipts_enabled\":true,\"asset_info\":{\"code\":\"EUR\",\"scale\":2},"
            + "\"balance\":{\"maximum\":\"100\",\"current\":\"0\"}}";
    contentType = "application/json; charset=utf-8";
    SpspAnswer answer = resolve();
    assertEquals(Optional.of(new AssetDetails("EUR", 2)), answer.assetInfo());
    assertTrue(answer.receiptsEnabled());
  }

  @Test
  void notFoundAndGoneAreUnknownReceivers() throws Exception {
    status = 404;
    assertEquals(SpspException.receiverUnknown, failure().slug());
    status = 410;
    assertEquals(SpspException.receiverUnknown, failure().slug());
  }

  @Test
  void serverErrorsAreUnreachable() throws Exception {
    status = 503;
    assertEquals(SpspException.receiverUnreachable, failure().slug());
  }

  @Test
  void otherStatusesAreInvalid() throws Exception {
    status = 401;
    assertEquals(SpspException.receiverInvalid, failure().slug());
  }

  @Test
  void garbageIsInvalid() throws Exception {
    body = "<html>not spsp</html>";
    assertEquals(SpspException.receiverInvalid, failure().slug());
    body = "[1, 2]";
    assertEquals(SpspException.receiverInvalid, failure().slug());
  }

  @Test
  void missingOrMalformedFieldsAreInvalid() throws Exception {
    body = "{\"destination_account\":\"test.receiver.alice\"}";
    assertTrue(failure().detail().contains("shared_secret"));
    body = "{\"shared_secret\":\"" + secretBase64 + "\"}";
    assertTrue(failure().detail().contains("destination_account"));
    body =
        "{\"destination_account\":\"not an address\",\"shared_secret\":\"" + secretBase64 + "\"}";
    assertTrue(failure().detail().contains("destination_account"));
    body = "{\"destination_account\":\"test.a.b\",\"shared_secret\":\"AAAA\"}";
    assertTrue(failure().detail().contains("32"));
    body =
        "{\"destination_account\":\"test.a.b\",\"shared_secret\":\""
            + secretBase64
            + "\",\"asset_info\":{\"code\":\"EUR\",\"scale\":300}}";
    assertTrue(failure().detail().contains("asset_info"));
  }

  @Test
  void anotherContentTypeIsInvalid() throws Exception {
    contentType = "text/html";
    assertEquals(SpspException.receiverInvalid, failure().slug());
  }

  @Test
  void aBodyOverTheBoundIsInvalid() throws Exception {
    body =
        "{\"destination_account\":\"test.a.b\",\"shared_secret\":\""
            + secretBase64
            + "\",\"pad\":\""
            + "x".repeat(5000)
            + "\"}";
    SpspException e = failure();
    assertEquals(SpspException.receiverInvalid, e.slug());
    assertTrue(e.detail().contains("4096"), e.detail());
  }

  @Test
  void aSlowReceiverTimesOut() throws Exception {
    delayMillis = 2_000;
    long start = System.nanoTime();
    SpspException e = failure();
    assertEquals(SpspException.receiverUnreachable, e.slug());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "bounded by the timeout");
  }

  @Test
  void aClosedPortIsUnreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertEquals(
        SpspException.receiverUnreachable, failure("http://127.0.0.1:" + port + "/x").slug());
  }

  @Test
  void httpNeedsTheSetting() throws Exception {
    SpspClient httpsOnly = new SpspClient(SpspClientSettings.defaults());
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> httpsOnly.resolve(url()).get(5, TimeUnit.SECONDS));
    SpspException cause = assertInstanceOf(SpspException.class, e.getCause());
    assertEquals(SpspException.receiverInvalid, cause.slug());
    assertTrue(cause.detail().contains("allow-http"));
  }

  @Test
  void paymentPointersResolveToHttps() throws Exception {
    assertEquals(
        URI.create("https://example.com/.well-known/pay"), SpspClient.url("$example.com", false));
    assertEquals(
        URI.create("https://example.com/alice"), SpspClient.url("$example.com/alice", false));
    assertEquals(
        URI.create("https://example.com/.well-known/pay"), SpspClient.url("$example.com/", false));
    assertEquals(
        URI.create("https://example.com/invoices/12345"),
        SpspClient.url("$example.com/invoices/12345", false));
    assertEquals(SpspException.receiverInvalid, failure("$example.com:8443/alice").slug());
    assertEquals(SpspException.receiverInvalid, failure("$user@example.com/alice").slug());
    assertEquals(SpspException.receiverInvalid, failure("ftp://example.com/alice").slug());
    assertEquals(SpspException.receiverInvalid, failure("$").slug());
    assertEquals(SpspException.receiverInvalid, failure("").slug());
    assertEquals(SpspException.receiverInvalid, failure("$example.com/a?b=c").slug());
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void followsARedirect() throws Exception {
    SpspAnswer answer = client.resolve(url("/redirect")).get(5, TimeUnit.SECONDS);
    assertEquals("test.receiver.alice.abc", answer.destination().value());
  }

  @Test
  void stopsAfterThreeRedirects() throws Exception {
    SpspException e = failure(url("/loop"));
    assertEquals(SpspException.receiverInvalid, e.slug());
    assertTrue(e.detail().contains("redirects"), e.detail());
  }

  @Test
  void aBodyThatTricklesTimesOut() throws Exception {
    long start = System.nanoTime();
    assertEquals(SpspException.receiverUnreachable, failure(url("/slow-body")).slug());
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1_500));
  }

  @Test
  void privateAddressesNeedTheSetting() throws Exception {
    SpspClient publicOnly =
        new SpspClient(new SpspClientSettings(true, false, Duration.ofSeconds(2), 4096));
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> publicOnly.resolve(url()).get(5, TimeUnit.SECONDS));
    SpspException cause = assertInstanceOf(SpspException.class, e.getCause());
    assertEquals(SpspException.receiverInvalid, cause.slug());
    assertTrue(cause.detail().contains("allow-private"), cause.detail());
    assertEquals(null, acceptSeen, "no request was made");
  }
}
