package dev.inlet.transport;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A request body copied into one array as its chunks arrive, up to {@code maxBytes}. Past that it
 * is {@link #tooLarge} and the rest is read and dropped, so that the client can finish sending
 * before it is answered; past {@code maxReadBytes}, {@link #append} throws {@link TooLarge}. Memory
 * stays bounded whatever the body's length.
 */
final class PrepareBody {
  /** Room for a body of unknown length to start with: most Prepares are well under 1 KiB. */
  private static final int initialCapacity = 1024;

  private final int maxBytes;
  private final long maxReadBytes;
  private byte[] bytes;
  private int size;
  private long read;

  /**
   * @param declared the body's Content-Length, or -1 when unknown (chunked)
   */
  PrepareBody(long declared, int maxBytes, long maxReadBytes) {
    this.maxBytes = maxBytes;
    this.maxReadBytes = maxReadBytes;
    int capacity =
        declared < 0
            ? Math.min(initialCapacity, maxBytes)
            : declared > maxBytes ? 0 : (int) declared;
    this.bytes = new byte[capacity];
  }

  /** Takes the readable bytes of {@code chunk}, which stays the caller's to release. */
  PrepareBody append(ByteBuf chunk) {
    int n = chunk.readableBytes();
    read += n;
    if (read > maxReadBytes) {
      throw TooLarge.instance;
    }
    if (read > maxBytes) {
      bytes = null;
      return this;
    }
    if (n > bytes.length - size) {
      bytes = Arrays.copyOf(bytes, Math.min(maxBytes, Math.max(size + n, 2 * bytes.length)));
    }
    chunk.getBytes(chunk.readerIndex(), bytes, size, n);
    size += n;
    return this;
  }

  /** Whether more than {@code maxBytes} arrived. */
  boolean tooLarge() {
    return read > maxBytes;
  }

  /** The body read; only when not {@link #tooLarge}. */
  byte[] bytes() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }

  /**
   * More than {@code maxReadBytes} arrived. One shared instance: no stack trace, nothing per
   * request.
   */
  static final class TooLarge extends RuntimeException {
    static final TooLarge instance = new TooLarge();

    private TooLarge() {
      super("request body too large", null, false, false);
    }
  }
}
