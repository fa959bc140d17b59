package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.web.RequestIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Odd input on the web port (SPSP and the admin API): every path and query value of every route is
 * checked before it reaches SQL (issue 16, point 3), and what the HTTP layer itself refuses —
 * malformed requests, over-long request lines and headers — is answered like every other error
 * (point 6). Each answer is a 4xx problem document (RFC 9457) with a request id, or a 200 where the
 * value is valid; never a 5xx, and never an ERROR in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpInputFuzzTest extends InletPerClass {
  static final long seed = 0x16_0DDB_17E5L;

  /** Random values after the fixed ones, unless {@link #randomBudgetMillis} runs out first. */
  static final int randomValues = 500;

  static final long randomBudgetMillis = 3_000;
  static final int answerTimeoutMillis = 5_000;

  /** An account that exists, so a value that is valid finds something. */
  static final String account = "zoe";

  private final List<String> failures = new ArrayList<>();

  /** The fuzzer's kept-alive connection, opened anew after each answer that closes it. */
  private final KeptAlive connection = new KeptAlive();

  @BeforeAll
  static void createAccount() {
    inlet.createAccount(account, null);
  }

  @Test
  void everyOddPathOrQueryValueIsAProblemOrAValidAnswerNeverA5xx(CapturedOutput log)
      throws IOException {
    long started = System.nanoTime();
    int sent = 0;
    for (String position : OddValues.positions) {
      for (String value : OddValues.fixed) {
        check(position, value, true);
        sent++;
        if (position.startsWith("/admin/")) { // SPSP takes no token
          check(position, value, false);
          sent++;
        }
      }
    }
    Random random = new Random(seed);
    long deadline = System.nanoTime() + randomBudgetMillis * 1_000_000;
    for (int i = 0; i < randomValues && System.nanoTime() < deadline; i++) {
      check(
          OddValues.positions.get(random.nextInt(OddValues.positions.size())),
          OddValues.random(random),
          random.nextBoolean());
      sent++;
    }

    connection.close();
    assertThat(failures)
        .as("seed %d, %d requests in %d ms, failures", seed, sent, millisSince(started))
        .isEmpty();
    assertThat(sent).isGreaterThan(OddValues.positions.size() * OddValues.fixed.size());
    assertNoErrorLogged(log);
  }

  @Test
  void aNameNoAccountCanHaveIs404AndAMalformedLimitIs400BeforeAnySql(CapturedOutput log) {
    inlet.createAccount("yara", null);
    assertThat(log.getAll())
        .as("the capture sees the server's log")
        .contains("Account yara created");
    for (String path :
        List.of(
            "/admin/accounts/%00",
            "/admin/accounts/%00/connections",
            "/admin/accounts/a%2Fb",
            "/admin/accounts/" + "x".repeat(65))) {
      HttpResponse<String> r = inlet.adminGet(path);
      assertProblem(r.statusCode(), contentType(r), r.body(), 404, "unknown-account");
      assertThat(r.body()).as("does not echo the name").doesNotContain("\\u0000", "a/b", "xxxxx");
    }
    for (String limit : List.of("%00", "abc", "0", "1001", "+5", "%D9%A3", "", "1&limit=2")) {
      HttpResponse<String> r =
          inlet.adminGet("/admin/accounts/" + account + "/connections?limit=" + limit);
      assertProblem(r.statusCode(), contentType(r), r.body(), 400, "invalid-limit");
    }
    assertThat(
            inlet.adminGet("/admin/accounts/" + account + "/connections?limit=1000").statusCode())
        .isEqualTo(200);
    HttpResponse<String> spsp = inlet.send(java.net.http.HttpRequest.newBuilder(uri("/%00")));
    assertProblem(spsp.statusCode(), contentType(spsp), spsp.body(), 404, "unknown-account");
    assertNoErrorLogged(log);
  }

  @Test
  void theHttpLayersOwnRefusalsAreProblemsWithARequestIdAndCloseTheConnection(CapturedOutput log)
      throws IOException {
    String traced = "X-Request-Id: trace-16";
    // Reactor Netty's decoder: request line past 4 kB, header block past 8 kB, not HTTP at all.
    refused(get("/" + account + "?x=" + "a".repeat(5_000), traced), 414, "uri-too-long", null);
    refused(get("/" + account, traced + "; X-Pad: " + "p".repeat(9_000)), 431, null, null);
    refused(bytes("HELLO\r\n\r\n"), 400, "malformed-request", null);
    refused(get("/" + account, "Bad Header: x"), 400, "malformed-request", null);
    refused(get("/" + account, "Content-Length: abc"), 400, "malformed-request", null);
    // Spring's: a request-target that is no URI. Its head parsed, so the caller's id is kept.
    refused(get("/a\0b", traced), 400, "malformed-request", "trace-16");
    refused(get("/admin/accounts/%G1", traced), 400, "malformed-request", "trace-16");
    refused(get("/\u00FF%", null), 400, "malformed-request", null);

    // Pipelined: the good request is answered first, with its own id; the refusal then closes.
    try (Socket socket = new Socket("localhost", inlet.port)) {
      socket.setSoTimeout(answerTimeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(get("/" + account, "X-Request-Id: first"));
      out.write(get("/%G1", "X-Request-Id: second"));
      out.write(get("/" + account, "X-Request-Id: third"));
      out.flush();
      InputStream in = socket.getInputStream();
      RawHttp.Response first = RawHttp.read(in);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("X-Request-Id")).isEqualTo("first");
      RawHttp.Response second = RawHttp.read(in);
      assertProblem(second, 400, "malformed-request");
      assertThat(second.header("X-Request-Id")).isEqualTo("second");
      assertThat(RawHttp.closes(in)).as("closed after the refusal").isTrue();
    }
    // Not every 4xx closes: an answer from a route keeps the connection.
    try (Socket socket = new Socket("localhost", inlet.port)) {
      socket.setSoTimeout(500);
      socket.getOutputStream().write(get("/%00", null));
      assertProblem(RawHttp.read(socket.getInputStream()), 404, "unknown-account");
      assertThat(RawHttp.closes(socket.getInputStream())).isFalse();
    }
    assertNoErrorLogged(log);
  }

  // --- one request ---

  private void check(String position, String value, boolean token) throws IOException {
    String target = position.replace("{}", value);
    boolean admin = position.startsWith("/admin/");
    String headers = token ? "Authorization: Bearer " + TestInlet.adminToken : null;
    RawHttp.Response r;
    try {
      r = connection.exchange(get(target, headers));
    } catch (IOException | AssertionError e) {
      failures.add(describe(target, token) + ": no answer: " + e);
      connection.close();
      return;
    }
    String failure = judge(r, target, admin, token);
    if (failure != null) {
      failures.add(describe(target, token) + ": " + failure);
    }
  }

  /** Why the answer is wrong, or null. */
  private static String judge(RawHttp.Response r, String target, boolean admin, boolean token) {
    int status = r.status();
    if (status == 200) {
      String type = mediaType(r.header("Content-Type"));
      if (target.equals("/actuator") && type.startsWith("application/vnd.spring-boot.actuator")) {
        return null; // the reserved name "actuator" is Spring Boot's, where it serves on this port
      }
      if (target.equals("/admin") && type.equals("text/html")) {
        return null; // the reserved name "admin" is the dashboard's sign-in form
      }
      boolean right =
          admin ? type.equals("application/json") : type.equals("application/spsp4+json");
      return right ? null : "200 with " + type;
    }
    if (status < 400 || status >= 500) {
      return "answered " + status + " " + new String(r.body(), StandardCharsets.UTF_8);
    }
    if (status == 401 && admin && token) {
      return "401 with the admin token";
    }
    try {
      problem(r, status);
    } catch (AssertionError | RuntimeException e) {
      return e.getMessage();
    }
    return null;
  }

  private static long millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }

  /** One connection at a time, reused while the server keeps it. */
  private static final class KeptAlive implements AutoCloseable {
    private Socket socket;

    RawHttp.Response exchange(byte[] request) throws IOException {
      if (socket == null) {
        socket = new Socket("localhost", inlet.port);
        socket.setSoTimeout(answerTimeoutMillis);
      }
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      RawHttp.Response r = RawHttp.read(socket.getInputStream());
      if ("close".equalsIgnoreCase(r.header("Connection"))) {
        close();
      }
      return r;
    }

    @Override
    public void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing a connection the test is done with
        }
        socket = null;
      }
    }
  }

  // --- refusals by the HTTP layer ---

  /** Sends {@code request} alone: a problem with {@code status}, a request id, then closed. */
  private static void refused(byte[] request, int status, String slug, String requestId)
      throws IOException {
    try (Socket socket = new Socket("localhost", inlet.port)) {
      socket.setSoTimeout(answerTimeoutMillis);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      RawHttp.Response r = RawHttp.read(socket.getInputStream());
      JsonNode body = problem(r, status);
      if (slug != null) {
        assertThat(body.get("type").asString()).isEqualTo("urn:inlet:problem:" + slug);
      }
      if (requestId != null) {
        assertThat(r.header("X-Request-Id")).isEqualTo(requestId);
      }
      assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(RawHttp.closes(socket.getInputStream())).as("closed after %d", status).isTrue();
    }
  }

  // --- checks ---

  /** The answer's problem document, checked: its status, type, and a sane request id. */
  private static JsonNode problem(RawHttp.Response r, int status) {
    assertThat(r.status()).as(r.head()).isEqualTo(status);
    assertThat(mediaType(r.header("Content-Type")))
        .as("%d's Content-Type", status)
        .isEqualTo("application/problem+json");
    assertThat(RequestIds.sane(r.header("X-Request-Id")))
        .as("%d's X-Request-Id %s", status, r.header("X-Request-Id"))
        .isTrue();
    JsonNode body = TestInlet.json.readTree(r.body());
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("type").asString()).startsWith("urn:inlet:problem:");
    return body;
  }

  private static void assertProblem(RawHttp.Response r, int status, String slug) {
    assertThat(problem(r, status).get("type").asString()).isEqualTo("urn:inlet:problem:" + slug);
  }

  private static void assertProblem(
      int status, String contentType, String body, int expected, String slug) {
    assertThat(status).as(body).isEqualTo(expected);
    assertThat(contentType).isEqualTo("application/problem+json");
    assertThat(TestInlet.json.readTree(body).get("type").asString())
        .isEqualTo("urn:inlet:problem:" + slug);
  }

  /** No ERROR line and no stack trace in what the server logged during the test. */
  private static void assertNoErrorLogged(CapturedOutput log) {
    assertThat(log.getAll().lines())
        .noneMatch(line -> line.contains(" ERROR "))
        .noneMatch(line -> line.startsWith("\tat "));
  }

  // --- requests ---

  private static byte[] get(String target, String headers) {
    return RawHttp.rawGet(target, inlet.port, headers);
  }

  private static byte[] bytes(String raw) {
    return raw.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static java.net.URI uri(String path) {
    return java.net.URI.create(inlet.url(path));
  }

  private static String contentType(HttpResponse<?> r) {
    return mediaType(r.headers().firstValue("Content-Type").orElse(null));
  }

  private static String mediaType(String contentType) {
    return contentType == null ? "" : contentType.split(";")[0].trim();
  }

  private static String describe(String target, boolean token) {
    String shown =
        target.length() > 80 ? target.substring(0, 80) + "...(" + target.length() + ")" : target;
    StringBuilder escaped = new StringBuilder();
    for (char c : shown.toCharArray()) {
      escaped.append(c < 0x20 || c > 0x7E ? String.format("\\x%02X", (int) c) : String.valueOf(c));
    }
    return "GET " + escaped + (token ? " (token)" : "");
  }
}
