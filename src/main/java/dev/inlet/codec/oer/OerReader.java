package dev.inlet.codec.oer;

import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Sequential CANONICAL-OER reader over a region of a byte array (RFC 0030). The array is not
 * copied, so the caller must not modify it while reading. Every read that would run past the
 * region's limit, and every non-canonical encoding, throws {@link DecodeException}; no unchecked
 * exception escapes for any input bytes. Positions and offsets in error messages are indices into
 * the backing array.
 */
public final class OerReader {
  /**
   * Largest var-uint handled as a number: 8 bytes, i.e. an unsigned 64-bit value held in a long.
   */
  private static final int maxVarUintBytes = 8;

  /** Longest length-of-length accepted; RFC 0030 caps lengths at 2^64 - 1 (8 bytes). */
  private static final int maxLengthOfLengthBytes = 8;

  private final byte[] buf;
  private final int limit;
  private int pos;

  /** Reads the whole array. */
  public OerReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  /**
   * Reads {@code length} bytes of {@code buf} starting at {@code offset}.
   *
   * @throws IndexOutOfBoundsException if the region is not inside the array (a programming error)
   */
  public OerReader(byte[] buf, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buf.length);
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  /** Index in the backing array of the next byte to read. */
  public int position() {
    return pos;
  }

  /** Number of unread bytes before the limit. */
  public int remaining() {
    return limit - pos;
  }

  /** Reads a UInt8 as 0..255. */
  public int readUint8() throws DecodeException {
    require(1, "UInt8");
    return buf[pos++] & 0xff;
  }

  /** Reads a big-endian UInt16 as 0..65535. */
  public int readUint16() throws DecodeException {
    return (int) readFixedUint(2, "UInt16");
  }

  /** Reads a big-endian UInt32 as 0..2^32-1. */
  public long readUint32() throws DecodeException {
    return readFixedUint(4, "UInt32");
  }

  /**
   * Reads a big-endian UInt64. The long holds the unsigned value: values above {@link
   * Long#MAX_VALUE} come back negative; use {@link Long#compareUnsigned} and {@link
   * Long#toUnsignedString} on them.
   */
  public long readUint64() throws DecodeException {
    return readFixedUint(8, "UInt64");
  }

  /**
   * Reads a length determinant (RFC 0030 "Length determinant"): one byte below 0x80, or {@code
   * 0x80|n} followed by an n-byte big-endian length without leading zeros and of at least 128.
   *
   * @return the length, guaranteed not to exceed {@link #remaining()} after the prefix
   * @throws DecodeException if the prefix is truncated, non-canonical, or longer than the remaining
   *     bytes
   */
  public int readLengthPrefix() throws DecodeException {
    int start = pos;
    int first = readUint8();
    if (first < 0x80) {
      return checkLength(first, start);
    }
    int n = first & 0x7f;
    if (n == 0) {
      throw new DecodeException("indefinite length form (0x80) is not allowed", start);
    }
    if (n > maxLengthOfLengthBytes) {
      throw new DecodeException("length-of-length " + n + " exceeds 8 bytes", start);
    }
    require(n, "long-form length");
    if (buf[pos] == 0) {
      throw new DecodeException("long-form length has a leading zero byte", start);
    }
    long value = 0;
    for (int i = 0; i < n; i++) {
      value = (value << 8) | (buf[pos++] & 0xff);
    }
    if (Long.compareUnsigned(value, 0x80) < 0) {
      throw new DecodeException("length " + value + " must use the one-byte short form", start);
    }
    if (Long.compareUnsigned(value, remaining()) > 0) {
      throw new DecodeException(
          "length " + Long.toUnsignedString(value) + " exceeds the " + remaining() + " bytes left",
          start);
    }
    return (int) value;
  }

  /** Reads a var-octet-string (length determinant then that many bytes) into a new array. */
  public byte[] readVarOctetString() throws DecodeException {
    return readBytes(readLengthPrefix());
  }

  /**
   * Reads a var-octet-string and decodes it as text. Malformed sequences in {@code charset} become
   * the replacement character rather than failing, because such strings are diagnostics for humans.
   */
  public String readVarString(Charset charset) throws DecodeException {
    int length = readLengthPrefix();
    String s = new String(buf, pos, length, charset);
    pos += length;
    return s;
  }

  /**
   * Reads a var-uint: a var-octet-string holding the minimal big-endian bytes of an unsigned
   * integer (RFC 0030 "Variable-length unsigned integer"; zero is the single byte 00).
   *
   * @return the unsigned 64-bit value held in a long
   * @throws DecodeException if empty, longer than 8 bytes, has a leading zero byte, or is truncated
   */
  public long readVarUint() throws DecodeException {
    int start = pos;
    int length = readLengthPrefix();
    if (length > maxVarUintBytes) {
      throw new DecodeException("var-uint of " + length + " bytes does not fit in 64 bits", start);
    }
    return readVarUintBody(length, start);
  }

  /**
   * Reads a var-uint like {@link #readVarUint()}, but a canonical value too large for 64 bits
   * decodes as the maximum UInt64 ({@code -1L}). RFC 0029 section 5.1.4 requires this for {@code
   * StreamMaxMoney.receiveMax} and {@code StreamMoneyBlocked.sendMax}.
   *
   * @throws DecodeException if empty, has a leading zero byte, or is truncated
   */
  public long readVarUintSaturating() throws DecodeException {
    int start = pos;
    int length = readLengthPrefix();
    if (length <= maxVarUintBytes) {
      return readVarUintBody(length, start);
    }
    if (buf[pos] == 0) {
      throw new DecodeException("var-uint has a leading zero byte", start);
    }
    pos += length;
    return -1L;
  }

  /** Reads exactly {@code n} bytes into a new array. */
  public byte[] readBytes(int n) throws DecodeException {
    if (n < 0) {
      throw new DecodeException("negative byte count " + n, pos);
    }
    require(n, n + "-byte field");
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** Advances past {@code n} bytes without copying them. */
  public void skip(int n) throws DecodeException {
    if (n < 0) {
      throw new DecodeException("negative byte count " + n, pos);
    }
    require(n, n + " bytes to skip");
    pos += n;
  }

  /**
   * Returns a reader over the next {@code n} bytes (sharing the array) and advances this reader
   * past them. Used to keep a length-prefixed structure from reading beyond its own length.
   */
  public OerReader slice(int n) throws DecodeException {
    if (n < 0) {
      throw new DecodeException("negative byte count " + n, pos);
    }
    require(n, n + "-byte structure");
    OerReader sub = new OerReader(buf, pos, n);
    pos += n;
    return sub;
  }

  /**
   * Returns the backing array; callers may read bytes {@code [position(), position() +
   * remaining())} in place to avoid a copy, and must not modify it.
   */
  public byte[] array() {
    return buf;
  }

  /**
   * @throws DecodeException unless the reader has consumed every byte up to its limit
   */
  public void requireEnd(String what) throws DecodeException {
    if (pos != limit) {
      throw new DecodeException(remaining() + " unexpected bytes after " + what, pos);
    }
  }

  private long readVarUintBody(int length, int start) throws DecodeException {
    if (length == 0) {
      throw new DecodeException("var-uint is empty", start);
    }
    if (length > 1 && buf[pos] == 0) {
      throw new DecodeException("var-uint has a leading zero byte", start);
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      value = (value << 8) | (buf[pos++] & 0xff);
    }
    return value;
  }

  private long readFixedUint(int n, String what) throws DecodeException {
    require(n, what);
    long value = 0;
    for (int i = 0; i < n; i++) {
      value = (value << 8) | (buf[pos++] & 0xff);
    }
    return value;
  }

  private int checkLength(int length, int start) throws DecodeException {
    if (length > remaining()) {
      throw new DecodeException(
          "length " + length + " exceeds the " + remaining() + " bytes left", start);
    }
    return length;
  }

  private void require(int n, String what) throws DecodeException {
    if (n > limit - pos) {
      throw new DecodeException(
          "truncated " + what + ": needs " + n + " bytes, " + (limit - pos) + " left", pos);
    }
  }
}
