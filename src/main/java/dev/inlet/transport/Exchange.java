package dev.inlet.transport;

import dev.inlet.web.BearerAuth;
import dev.inlet.web.RequestIds;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * One request on an ILP-over-HTTP connection ({@link IlpHttpConnectionHandler}): where it stands,
 * and its response.
 */
final class Exchange {
  // Header names spelled as WebFlux wrote them.
  static final AsciiString requestIdHeader = AsciiString.cached(RequestIds.header);
  private static final AsciiString contentType = AsciiString.cached("Content-Type");
  private static final AsciiString wwwAuthenticate = AsciiString.cached("WWW-Authenticate");
  private static final AsciiString challenge = AsciiString.cached(BearerAuth.challenge);
  private static final AsciiString allow = AsciiString.cached("Allow");
  private static final AsciiString post = AsciiString.cached("POST");

  final String id;
  final HttpVersion version;

  /** A HEAD request: its response has headers only. */
  final boolean head;

  boolean keepAlive;

  /**
   * The body so far; for a refused request, a body of capacity 0 that only counts what it drops.
   */
  PrepareBody body;

  boolean bodyRead;

  /** Handed to the receiver: its answer will come, and nothing else may answer in its place. */
  boolean received;

  boolean answered;

  /**
   * @param id the request id echoed in {@code X-Request-Id}
   * @param head whether the request is a HEAD, whose response carries no body
   * @param keepAlive whether the connection stays open after the answer (the request's HTTP version
   *     and headers)
   */
  Exchange(String id, HttpVersion version, boolean head, boolean keepAlive) {
    this.id = id;
    this.version = version;
    this.head = head;
    this.keepAlive = keepAlive;
  }

  /**
   * The whole response: {@code body} of {@code type}, Content-Length, request id, and the
   * connection's fate. The body is left out for a HEAD request, its length still told.
   */
  FullHttpResponse response(HttpResponseStatus status, AsciiString type, byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    HttpHeaders headers = response.headers();
    headers
        .set(contentType, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(requestIdHeader, id);
    if (status == HttpResponseStatus.UNAUTHORIZED) {
      headers.set(wwwAuthenticate, challenge);
    } else if (status == HttpResponseStatus.METHOD_NOT_ALLOWED) {
      headers.set(allow, post);
    }
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (version.equals(HttpVersion.HTTP_1_0)) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return response;
  }
}
