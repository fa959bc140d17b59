package dev.inlet.codec.stream;

import dev.inlet.codec.ilp.IlpPacketType;
import java.util.List;
import java.util.Objects;

/**
 * A decrypted STREAM packet (RFC 0029 section 5.2).
 *
 * @param version protocol version, always {@value #supportedVersion}
 * @param ilpPacketType the ILP packet type that must carry this packet; a receiver must discard a
 *     packet that arrived on another type
 * @param sequence the sender's packet number; a reply repeats the Prepare's (unsigned 64-bit)
 * @param prepareAmount on a Prepare, the minimum the receiver should accept; on a Fulfill or
 *     Reject, the amount that arrived (unsigned 64-bit, in the receiver's smallest asset unit)
 * @param frames the frames, in wire order (an immutable copy is kept)
 * @throws IllegalArgumentException if {@code version} is not 1; NullPointerException if a field is
 *     null
 */
public record StreamPacket(
    int version,
    IlpPacketType ilpPacketType,
    long sequence,
    long prepareAmount,
    List<StreamFrame> frames) {
  /** The only STREAM version defined. */
  public static final int supportedVersion = 1;

  public StreamPacket {
    if (version != supportedVersion) {
      throw new IllegalArgumentException("STREAM version must be 1, was " + version);
    }
    Objects.requireNonNull(ilpPacketType, "ilpPacketType");
    frames = List.copyOf(frames);
  }

  /** A version-1 packet. */
  public StreamPacket(
      IlpPacketType ilpPacketType, long sequence, long prepareAmount, List<StreamFrame> frames) {
    this(supportedVersion, ilpPacketType, sequence, prepareAmount, frames);
  }

  @Override
  public String toString() {
    return "StreamPacket[version="
        + version
        + ", ilpPacketType="
        + ilpPacketType
        + ", sequence="
        + Long.toUnsignedString(sequence)
        + ", prepareAmount="
        + Long.toUnsignedString(prepareAmount)
        + ", frames="
        + frames
        + "]";
  }
}
