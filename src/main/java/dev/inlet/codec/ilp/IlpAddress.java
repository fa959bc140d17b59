package dev.inlet.codec.ilp;

import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.oer.OerReader;
import dev.inlet.codec.oer.OerWriter;
import java.nio.charset.StandardCharsets;

/**
 * An ILP address (RFC 0015): an allocation scheme ({@code g}, {@code private}, {@code example},
 * {@code peer}, {@code self}, {@code test}, {@code test1..3}, {@code local}) followed by one or
 * more {@code .}-separated segments of {@code [a-zA-Z0-9_~-]+}, at most {@value #maxBytes} bytes in
 * all. Addresses are case-sensitive and pure ASCII, so the string length equals the encoded byte
 * length.
 *
 * @param value the address text, e.g. {@code g.acme.bob}
 * @throws IllegalArgumentException if {@code value} is not a valid address
 */
public record IlpAddress(String value) {
  /** Maximum address length in bytes (RFC 0015 "Address Requirements"). */
  public static final int maxBytes = 1023;

  private static final String[] schemes = {
    "g", "private", "example", "peer", "self", "test", "test1", "test2", "test3", "local"
  };

  public IlpAddress {
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Creates an address from trusted input (configuration, code).
   *
   * @throws IllegalArgumentException if {@code value} is not a valid address
   */
  public static IlpAddress of(String value) {
    return new IlpAddress(value);
  }

  /**
   * Creates an address from wire input.
   *
   * @throws DecodeException if {@code value} is not a valid address (reported at offset 0)
   */
  public static IlpAddress parse(String value) throws DecodeException {
    return parseAt(value, 0);
  }

  /**
   * Reads an address encoded as a var-octet-string of ASCII bytes (RFC 0027 "ILP Prepare", {@code
   * destination}).
   *
   * @throws DecodeException if the string is truncated or not a valid address
   */
  public static IlpAddress read(OerReader reader) throws DecodeException {
    int offset = reader.position();
    return parseAt(reader.readVarString(StandardCharsets.ISO_8859_1), offset);
  }

  /** Writes this address as a var-octet-string of ASCII bytes. */
  public void write(OerWriter writer) {
    writer.writeLengthPrefix(value.length());
    writer.writeAscii(value);
  }

  /**
   * {@link #parse(String)}, reporting a problem at {@code offset} of the buffer it was read from.
   */
  static IlpAddress parseAt(String value, int offset) throws DecodeException {
    // The constructor validates; translating its rare failure keeps valid input to a single pass.
    try {
      return new IlpAddress(value);
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage(), offset);
    }
  }

  /**
   * Whether this address equals {@code prefix} or lies beneath it, comparing whole segments: {@code
   * g.alice.x} starts with {@code g.alice} but {@code g.alicex} does not.
   */
  public boolean startsWith(IlpAddress prefix) {
    String p = prefix.value;
    return value.startsWith(p) && (value.length() == p.length() || value.charAt(p.length()) == '.');
  }

  /**
   * This address with one more segment appended, e.g. {@code g.inlet} with {@code tok} is {@code
   * g.inlet.tok}.
   *
   * @throws IllegalArgumentException if {@code segment} is not a single valid segment or the result
   *     is longer than {@value #maxBytes} bytes
   */
  public IlpAddress with(String segment) {
    if (segment.isEmpty() || segment.indexOf('.') >= 0) {
      throw new IllegalArgumentException("not a single address segment: \"" + segment + "\"");
    }
    return new IlpAddress(value + '.' + segment);
  }

  @Override
  public String toString() {
    return value;
  }

  /** Returns why {@code s} is not a valid address, or null if it is. Allocation-free. */
  private static String problem(String s) {
    if (s == null) {
      return "ILP address is null";
    }
    int length = s.length();
    if (length > maxBytes) {
      return "ILP address is " + length + " bytes, over the " + maxBytes + " byte limit";
    }
    int dot = s.indexOf('.');
    if (dot < 0 || !isScheme(s, dot)) {
      return "ILP address must start with an allocation scheme and a segment: \"" + s + "\"";
    }
    int segmentLength = 0;
    for (int i = dot + 1; i < length; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (segmentLength == 0) {
          return "ILP address has an empty segment: \"" + s + "\"";
        }
        segmentLength = 0;
      } else if (isSegmentChar(c)) {
        segmentLength++;
      } else {
        return "ILP address has an invalid character at index " + i + ": \"" + s + "\"";
      }
    }
    if (segmentLength == 0) {
      return "ILP address must not end with an empty segment: \"" + s + "\"";
    }
    return null;
  }

  private static boolean isScheme(String s, int length) {
    for (String scheme : schemes) {
      if (scheme.length() == length && s.startsWith(scheme)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSegmentChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '~'
        || c == '-';
  }
}
