package dev.inlet.codec.btp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One sub-protocol entry of a BTP packet (RFC 0023 "ProtocolData"): a name, a content type and the
 * data. Entries are how BTP carries everything: ILP packets ({@code ilp}), authentication ({@code
 * auth}, {@code auth_username}, {@code auth_token}), and whatever else two peers agree on.
 *
 * @param protocolName IA5 (ASCII) name, 1 to {@value #maxNameBytes} bytes, e.g. {@code ilp}
 * @param contentType 0 {@link #octetStream}, 1 {@link #textPlainUtf8}, 2 {@link #applicationJson};
 *     other values up to 255 are carried as they are
 * @param data the entry's bytes (not copied: treat as immutable)
 * @throws IllegalArgumentException if the name is empty, too long or not ASCII, or the content type
 *     is not 0..255
 */
public record ProtocolData(String protocolName, int contentType, byte[] data) {
  /** Content type of binary data, such as an ILP packet. */
  public static final int octetStream = 0;

  /** Content type of UTF-8 text. */
  public static final int textPlainUtf8 = 1;

  /** Content type of UTF-8 JSON. */
  public static final int applicationJson = 2;

  /** Longest protocol name accepted, bytes: names in use are a few words. */
  public static final int maxNameBytes = 255;

  /** Entry name of an ILP packet (RFC 0023 "ILP"). */
  public static final String ilp = "ilp";

  public ProtocolData {
    Objects.requireNonNull(protocolName, "protocolName");
    Objects.requireNonNull(data, "data");
    String problem = nameProblem(protocolName);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (contentType < 0 || contentType > 255) {
      throw new IllegalArgumentException("content type must be 0..255: " + contentType);
    }
  }

  /** An {@code ilp} entry holding an OER ILP packet. */
  public static ProtocolData ilp(byte[] packet) {
    return new ProtocolData(ilp, octetStream, packet);
  }

  /** A {@code text/plain; charset=utf-8} entry. */
  public static ProtocolData text(String protocolName, String text) {
    return new ProtocolData(protocolName, textPlainUtf8, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The first entry named {@code protocolName} in {@code entries}, if any. */
  public static Optional<ProtocolData> find(List<ProtocolData> entries, String protocolName) {
    for (ProtocolData p : entries) {
      if (p.protocolName.equals(protocolName)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Why {@code name} is not a valid protocol name, or null if it is. */
  static String nameProblem(String name) {
    if (name.isEmpty() || name.length() > maxNameBytes) {
      return "protocol name must be 1 to " + maxNameBytes + " characters: " + name.length();
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) > 0x7f) {
        return "protocol name must be ASCII: " + name;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProtocolData p
        && protocolName.equals(p.protocolName)
        && contentType == p.contentType
        && Arrays.equals(data, p.data);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(protocolName, contentType) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    String shown = data.length <= 64 ? HexFormat.of().formatHex(data) : data.length + " bytes";
    return "ProtocolData[" + protocolName + ", type " + contentType + ", " + shown + "]";
  }
}
