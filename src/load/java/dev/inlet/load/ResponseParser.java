package dev.inlet.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * A strict reader of HTTP/1.1 responses, for the generator's own client: the status line, the
 * header fields up to the blank line, then a body of {@code Content-Length} bytes or in chunks.
 * Interim (1xx) responses are skipped. Anything else (another HTTP version, a body delimited by the
 * connection's end, folded or malformed lines, both or two different lengths, another transfer
 * coding) is refused: a load generator must not guess.
 */
final class ResponseParser {
  private static final int maxHead = 16 * 1024;
  private static final int maxBody = 1024 * 1024;
  private static final byte[] version = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] empty = new byte[0];

  /** The last response read. */
  int status;

  byte[] body;

  /** The server closes the connection after this response ({@code Connection: close}). */
  boolean close;

  /** How the head being read frames its body: Content-Length (-1: none given), or chunks. */
  private int contentLength;

  private boolean chunked;

  /** The response is not HTTP/1.1 as this reader accepts it. */
  static final class BadResponse extends Exception {
    private static final long serialVersionUID = 1L;

    BadResponse(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads the next whole final response in {@code in}, if it holds one: then it is consumed and the
   * fields set. Otherwise returns false and consumes nothing but interim responses.
   */
  boolean read(ByteBuf in) throws BadResponse {
    while (true) {
      int start = in.readerIndex();
      int end = in.writerIndex();
      int next = head(in, start, end);
      if (next < 0) {
        return incomplete(start, end, maxHead);
      }
      if (status >= 100 && status < 200) {
        if (status == 101 || contentLength >= 0 || chunked) {
          throw new BadResponse("interim response " + status + " with a body or an upgrade");
        }
        in.readerIndex(next);
        continue;
      }
      if (status == 204 || status == 304) {
        body = empty;
      } else if (chunked) {
        next = chunks(in, next, end);
      } else if (contentLength >= 0) {
        if (end - next < contentLength) {
          return incomplete(start, end, maxHead + maxBody);
        }
        body = ByteBufUtil.getBytes(in, next, contentLength);
        next += contentLength;
      } else {
        throw new BadResponse(
            "neither Content-Length nor chunked (a body up to the close is not supported)");
      }
      if (next < 0) {
        return incomplete(start, end, maxHead + 2 * maxBody);
      }
      in.readerIndex(next);
      return true;
    }
  }

  /**
   * False, unless the bytes waiting for the rest of the response are more than a response may be.
   */
  private static boolean incomplete(int start, int end, int limit) throws BadResponse {
    if (end - start > limit) {
      throw new BadResponse("response over " + limit + " bytes");
    }
    return false;
  }

  /**
   * Parses the status line and header fields from {@code from}: the index after the blank line, or
   * -1.
   */
  private int head(ByteBuf in, int from, int end) throws BadResponse {
    int eol = lineEnd(in, from, end);
    if (eol < 0) {
      return -1;
    }
    status = statusLine(in, from, eol);
    contentLength = -1;
    chunked = false;
    close = false;
    for (int line = eol + 2; ; line = eol + 2) {
      eol = lineEnd(in, line, end);
      if (eol < 0) {
        return -1;
      }
      if (eol == line) {
        if (chunked && contentLength >= 0) {
          throw new BadResponse("both Content-Length and Transfer-Encoding");
        }
        return eol + 2;
      }
      field(in, line, eol);
    }
  }

  private static int statusLine(ByteBuf in, int from, int eol) throws BadResponse {
    boolean ok = eol - from >= version.length + 3;
    for (int i = 0; ok && i < version.length; i++) {
      ok = in.getByte(from + i) == version[i];
    }
    int code = 0;
    for (int i = from + version.length; ok && i < from + version.length + 3; i++) {
      byte b = in.getByte(i);
      ok = b >= '0' && b <= '9';
      code = code * 10 + b - '0';
    }
    // The reason phrase may be empty; its separating space is then sometimes left out.
    int after = from + version.length + 3;
    if (!ok || code < 100 || after < eol && in.getByte(after) != ' ') {
      throw new BadResponse(
          "bad status line: " + in.toString(from, eol - from, StandardCharsets.ISO_8859_1));
    }
    return code;
  }

  /** One header field; only the three that frame the message matter here. */
  private void field(ByteBuf in, int from, int eol) throws BadResponse {
    int colon = in.indexOf(from, eol, (byte) ':');
    byte first = in.getByte(from);
    if (colon <= from || first == ' ' || first == '\t') {
      throw new BadResponse("malformed or folded header line");
    }
    int v = colon + 1;
    int w = eol;
    while (v < w && isSpace(in.getByte(v))) {
      v++;
    }
    while (w > v && isSpace(in.getByte(w - 1))) {
      w--;
    }
    if (named(in, from, colon, "content-length")) {
      int n = number(in, v, w);
      if (contentLength >= 0 && contentLength != n) {
        throw new BadResponse("two different Content-Lengths");
      }
      contentLength = n;
    } else if (named(in, from, colon, "transfer-encoding")) {
      if (chunked || !named(in, v, w, "chunked")) {
        throw new BadResponse("Transfer-Encoding other than a single chunked");
      }
      chunked = true;
    } else if (named(in, from, colon, "connection")) {
      for (int t = v; t < w; ) {
        int comma = in.indexOf(t, w, (byte) ',');
        int tokenEnd = comma < 0 ? w : comma;
        int a = t;
        int b = tokenEnd;
        while (a < b && isSpace(in.getByte(a))) {
          a++;
        }
        while (b > a && isSpace(in.getByte(b - 1))) {
          b--;
        }
        close |= named(in, a, b, "close");
        t = tokenEnd + 1;
      }
    }
  }

  /**
   * A chunked body from {@code from}: sets {@link #body}, returns the index after the trailers, or
   * -1.
   */
  private int chunks(ByteBuf in, int from, int end) throws BadResponse {
    ByteBuf data = Unpooled.buffer();
    try {
      int at = from;
      while (true) {
        int eol = lineEnd(in, at, end);
        if (eol < 0) {
          return -1;
        }
        int semicolon = in.indexOf(at, eol, (byte) ';');
        long size = hex(in, at, semicolon < 0 ? eol : semicolon);
        at = eol + 2;
        if (size == 0) {
          break;
        }
        if (data.readableBytes() + size > maxBody) {
          throw new BadResponse("chunked body over " + maxBody + " bytes");
        }
        if (end - at < size + 2) {
          return -1;
        }
        if (in.getByte(at + (int) size) != '\r' || in.getByte(at + (int) size + 1) != '\n') {
          throw new BadResponse("chunk not followed by CRLF");
        }
        data.writeBytes(in, at, (int) size);
        at += (int) size + 2;
      }
      // Trailer fields, ignored, up to the blank line.
      for (int eol = lineEnd(in, at, end); ; eol = lineEnd(in, at, end)) {
        if (eol < 0) {
          return -1;
        }
        if (eol == at) {
          body = ByteBufUtil.getBytes(data);
          return eol + 2;
        }
        at = eol + 2;
      }
    } finally {
      data.release();
    }
  }

  /** The index of the CR of the next CRLF from {@code from}, or -1; a lone CR or LF is refused. */
  private static int lineEnd(ByteBuf in, int from, int end) throws BadResponse {
    int lf = in.indexOf(from, end, (byte) '\n');
    if (lf < 0) {
      return -1;
    }
    if (lf == from || in.getByte(lf - 1) != '\r' || in.indexOf(from, lf - 1, (byte) '\r') >= 0) {
      throw new BadResponse("a line not ended by CRLF");
    }
    return lf - 1;
  }

  private static int number(ByteBuf in, int from, int to) throws BadResponse {
    if (to <= from || to - from > 9) {
      throw new BadResponse("bad Content-Length");
    }
    int n = 0;
    for (int i = from; i < to; i++) {
      byte b = in.getByte(i);
      if (b < '0' || b > '9') {
        throw new BadResponse("bad Content-Length");
      }
      n = n * 10 + b - '0';
    }
    if (n > maxBody) {
      throw new BadResponse("body over " + maxBody + " bytes");
    }
    return n;
  }

  private static long hex(ByteBuf in, int from, int to) throws BadResponse {
    if (to <= from || to - from > 8) {
      throw new BadResponse("bad chunk size");
    }
    long n = 0;
    for (int i = from; i < to; i++) {
      int d = Character.digit(in.getByte(i), 16);
      if (d < 0) {
        throw new BadResponse("bad chunk size");
      }
      n = n * 16 + d;
    }
    return n;
  }

  /** Whether bytes {@code [from, to)} are {@code lower}, ignoring ASCII case. */
  private static boolean named(ByteBuf in, int from, int to, String lower) {
    if (to - from != lower.length()) {
      return false;
    }
    for (int i = 0; i < lower.length(); i++) {
      int b = in.getByte(from + i);
      if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t';
  }
}
