package dev.inlet.codec.oer;

import java.util.Arrays;

/**
 * Growable CANONICAL-OER writer (RFC 0030). Writes are appended; {@link #toByteArray()} returns the
 * result. Length-prefixed structures whose size is not known up front are written between {@link
 * #beginVarOctetString()} and {@link #endVarOctetString(int)}, which inserts the minimal length
 * prefix in place instead of encoding into a temporary buffer.
 */
public final class OerWriter {
  private byte[] buf;
  private int size;

  /** A writer with room for {@code initialCapacity} bytes before it has to grow. */
  public OerWriter(int initialCapacity) {
    buf = new byte[Math.max(initialCapacity, 16)];
  }

  /** Number of bytes written so far. */
  public int size() {
    return size;
  }

  /**
   * The bytes written so far. When the writer is exactly full its internal array is returned
   * without a copy; that is safe because any later write must grow into a new array first.
   */
  public byte[] toByteArray() {
    return size == buf.length ? buf : Arrays.copyOf(buf, size);
  }

  /** Writes the low 8 bits of {@code value} as a UInt8. */
  public void writeUint8(int value) {
    ensure(1);
    buf[size++] = (byte) value;
  }

  /** Writes the low 16 bits of {@code value} as a big-endian UInt16. */
  public void writeUint16(int value) {
    writeFixed(value, 2);
  }

  /** Writes the low 32 bits of {@code value} as a big-endian UInt32. */
  public void writeUint32(long value) {
    writeFixed(value, 4);
  }

  /** Writes {@code value}, read as unsigned, as a big-endian UInt64. */
  public void writeUint64(long value) {
    writeFixed(value, 8);
  }

  /** Writes the bytes as they are (a fixed-length octet string). */
  public void writeBytes(byte[] bytes) {
    writeBytes(bytes, 0, bytes.length);
  }

  /** Writes {@code length} bytes of {@code bytes} from {@code offset}. */
  public void writeBytes(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buf, size, length);
    size += length;
  }

  /**
   * Writes the characters of {@code s} as single bytes. Only for strings already known to be ASCII
   * (ILP addresses, error codes, timestamps), where a char and its byte coincide.
   */
  public void writeAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[size++] = (byte) s.charAt(i);
    }
  }

  /**
   * Writes a canonical length determinant: short form below 128, else {@code 0x80|n} and n bytes.
   */
  public void writeLengthPrefix(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    int n = lengthPrefixSize(length);
    ensure(n);
    putLengthPrefix(size, length, n);
    size += n;
  }

  /** Writes a var-octet-string: the length determinant and then the bytes. */
  public void writeVarOctetString(byte[] bytes) {
    writeLengthPrefix(bytes.length);
    writeBytes(bytes);
  }

  /**
   * Writes {@code value}, read as unsigned 64-bit, as a var-uint: a var-octet-string of its minimal
   * big-endian bytes (zero is {@code 01 00}).
   */
  public void writeVarUint(long value) {
    int n = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 7) / 8);
    writeUint8(n);
    writeFixed(value, n);
  }

  /**
   * Starts a var-octet-string whose length is not yet known.
   *
   * @return a mark to pass to {@link #endVarOctetString(int)} once the contents are written
   */
  public int beginVarOctetString() {
    return size;
  }

  /**
   * Ends a var-octet-string started at {@code mark}: inserts the length prefix of everything
   * written since, shifting those bytes right by the prefix size.
   */
  public void endVarOctetString(int mark) {
    int length = size - mark;
    int n = lengthPrefixSize(length);
    ensure(n);
    System.arraycopy(buf, mark, buf, mark + n, length);
    putLengthPrefix(mark, length, n);
    size += n;
  }

  /** Number of bytes the canonical length determinant of {@code length} occupies. */
  public static int lengthPrefixSize(int length) {
    return length < 0x80 ? 1 : 1 + (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
  }

  private void putLengthPrefix(int at, int length, int n) {
    if (n == 1) {
      buf[at] = (byte) length;
      return;
    }
    buf[at] = (byte) (0x80 | (n - 1));
    for (int i = n - 1; i >= 1; i--) {
      buf[at + i] = (byte) length;
      length >>>= 8;
    }
  }

  private void writeFixed(long value, int n) {
    ensure(n);
    for (int i = n - 1; i >= 0; i--) {
      buf[size + i] = (byte) value;
      value >>>= 8;
    }
    size += n;
  }

  private void ensure(int extra) {
    int needed = size + extra;
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
    }
  }
}
