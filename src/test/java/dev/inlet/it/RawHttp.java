package dev.inlet.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 spoken byte by byte over a socket, for tests that need what a client library hides
 * (pipelining) or refuses to send (malformed requests).
 */
final class RawHttp {
  private RawHttp() {}

  /** One response: status, head (status line and headers) and body. */
  record Response(int status, String head, byte[] body) {
    /** A header's value (the first, name case-insensitive), or null. */
    String header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return head.lines()
          .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(line -> line.substring(prefix.length()).trim())
          .findFirst()
          .orElse(null);
    }
  }

  /** The head of a request with no body; {@code headers}, if any, separated by "; ". */
  static String request(String method, String path, int port, String headers) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\nHost: localhost:"
        + port
        + "\r\n"
        + (headers == null ? "" : headers.replace("; ", "\r\n") + "\r\n")
        + "\r\n";
  }

  /** A request with {@code body} and its Content-Length; {@code headers} as in {@link #request}. */
  static byte[] request(String method, String path, int port, String headers, byte[] body) {
    String head =
        request(
            method,
            path,
            port,
            (headers == null ? "" : headers + "; ") + "Content-Length: " + body.length);
    byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[bytes.length + body.length];
    System.arraycopy(bytes, 0, all, 0, bytes.length);
    System.arraycopy(body, 0, all, bytes.length, body.length);
    return all;
  }

  /**
   * The head of a GET whose request-target is {@code target} byte for byte (each char below 256 is
   * one byte): raw NUL, bytes that are not UTF-8, whatever a client library would refuse to send.
   * {@code headers} as in {@link #request}.
   */
  static byte[] rawGet(String target, int port, String headers) {
    return request("GET", target, port, headers).getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Whether the server closes the connection (end of stream or reset) before sending anything more
   * within the socket's timeout.
   */
  static boolean closes(InputStream in) throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset: closed with bytes unread, as after an over-long head
    }
  }

  /**
   * Reads one response, which must carry a Content-Length (a 1xx has no body).
   *
   * @throws AssertionError if the connection closes first, or nothing arrives within the socket's
   *     timeout
   */
  static Response read(InputStream in) throws IOException {
    String head;
    try {
      head = head(in);
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no answer within the socket's timeout: the server stopped reading", e);
    }
    int status = Integer.parseInt(head.split(" ", 3)[1]);
    Response headOnly = new Response(status, head, new byte[0]);
    if (status < 200) {
      return headOnly;
    }
    String length = headOnly.header("Content-Length");
    if (length == null) {
      throw new AssertionError("no Content-Length: " + head);
    }
    byte[] body = in.readNBytes(Integer.parseInt(length));
    return new Response(status, head, body);
  }

  /**
   * Reads one response's head only: the answer to a HEAD request, which has no body whatever its
   * headers say.
   */
  static Response readHead(InputStream in) throws IOException {
    String head = head(in);
    return new Response(Integer.parseInt(head.split(" ", 3)[1]), head, new byte[0]);
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed after: " + head);
      }
      head.write(b);
      byte[] sofar = head.toByteArray();
      int n = sofar.length;
      if (n >= 4
          && sofar[n - 4] == '\r'
          && sofar[n - 3] == '\n'
          && sofar[n - 2] == '\r'
          && sofar[n - 1] == '\n') {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
  }
}
