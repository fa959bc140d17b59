package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every request on a kept-alive HTTP/1.1 connection is answered. An SPSP query is answered from a
 * database thread; when the next request reached the server before that answer had finished and was
 * itself answered at once on the event loop (401, 404, 400, a CORS preflight), Reactor Netty up to
 * 1.3.7 stopped reading the connection, and the client's following request waited until it timed
 * out (reactor/reactor-netty#4361). One request at a time, as the JDK client sends them, hit this
 * in about 1 of 40 such sequences (HttpApiTest's occasional 30 s timeout); writing the two requests
 * at once makes the second arrive early every time.
 */
class HttpKeepAliveTest extends InletPerClass {
  private static final int answerTimeoutMillis =
      5_000; // the socket's: a request left unread fails the test

  @BeforeAll
  static void createAccount() {
    inlet.createAccount("kim", null);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET|/a/b/c||404",
        "GET|/admin/accounts/kim||401",
        "GET|/kim|Receipt-Nonce: AAAA|400",
        "OPTIONS|/kim|Origin: https://blog.example; Access-Control-Request-Method: GET|200",
      })
  void anImmediateAnswerAfterADatabaseAnswerLeavesTheConnectionServed(
      String method, String path, String headers, int status) throws IOException {
    try (Socket socket = new Socket("localhost", inlet.port)) {
      socket.setSoTimeout(answerTimeoutMillis);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(
          (request("GET", "/kim", null) + request(method, path, headers))
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(status(in)).isEqualTo(200);
      assertThat(status(in)).isEqualTo(status);
      for (int i = 0; i < 3; i++) {
        out.write(request("GET", "/kim", null).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(status(in)).as("request %d after the immediate answer", i + 1).isEqualTo(200);
      }
    }
  }

  private static String request(String method, String path, String headers) {
    return RawHttp.request(method, path, inlet.port, headers);
  }

  private static int status(InputStream in) throws IOException {
    return RawHttp.read(in).status();
  }
}
