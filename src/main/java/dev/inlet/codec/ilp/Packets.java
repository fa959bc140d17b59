package dev.inlet.codec.ilp;

import java.util.HexFormat;
import java.util.Objects;

/** Argument checks shared by the packet records' constructors. */
final class Packets {
  /** Size of an execution condition and of a fulfillment: a SHA-256 digest and its preimage. */
  static final int hashBytes = 32;

  private Packets() {}

  static byte[] requireHash(byte[] bytes, String name) {
    Objects.requireNonNull(bytes, name);
    if (bytes.length != hashBytes) {
      throw new IllegalArgumentException(name + " must be 32 bytes, was " + bytes.length);
    }
    return bytes;
  }

  static byte[] requireData(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (data.length > IlpPacket.maxDataBytes) {
      throw new IllegalArgumentException(
          "data is " + data.length + " bytes, over the " + IlpPacket.maxDataBytes + " byte limit");
    }
    return data;
  }

  /** Short form of a byte array for toString: its length, and its hex when short enough to read. */
  static String describe(byte[] bytes) {
    return bytes.length <= 64 ? HexFormat.of().formatHex(bytes) : bytes.length + " bytes";
  }
}
