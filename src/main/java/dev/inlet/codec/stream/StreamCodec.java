package dev.inlet.codec.stream;

import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.oer.OerReader;
import dev.inlet.codec.oer.OerWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * OER codec for decrypted STREAM packets (RFC 0029 section 5.2): {@code version UInt8 |
 * ilpPacketType UInt8 | sequence VarUInt | prepareAmount VarUInt | frameCount VarUInt | frames},
 * each frame being {@code type UInt8 | var-octet-string(contents)}, then optional padding.
 */
public final class StreamCodec {
  /**
   * Most frames accepted in one packet. A 32 KB plaintext could hold about 16,000 empty frames;
   * real endpoints send a handful, so this caps the work a hostile packet can cause.
   */
  public static final int maxFrames = 1024;

  /** Smallest possible encoded frame: a type byte and a one-byte length prefix. */
  private static final int minFrameBytes = 2;

  private StreamCodec() {}

  /**
   * Decodes a STREAM packet. Frames of unknown types are skipped (RFC 0029 section 5.3) and bytes
   * after the last frame are padding and ignored (section 5.2).
   *
   * @throws DecodeException if the version is not 1, the ILP packet type is not 12/13/14, a
   *     var-uint other than a saturating amount exceeds 64 bits, the frame count is larger than the
   *     bytes left could hold or than {@link #maxFrames}, or a known frame is malformed or has
   *     bytes left over inside its own length
   */
  public static StreamPacket decode(byte[] plaintext) throws DecodeException {
    OerReader r = new OerReader(plaintext);
    int version = r.readUint8();
    if (version != StreamPacket.supportedVersion) {
      throw new DecodeException("unsupported STREAM version " + version, 0);
    }
    int typeCode = r.readUint8();
    IlpPacketType type = IlpPacketType.fromCode(typeCode);
    if (type == null) {
      throw new DecodeException("STREAM ilpPacketType " + typeCode + " is not 12, 13 or 14", 1);
    }
    long sequence = r.readVarUint();
    long prepareAmount = r.readVarUint();
    int countOffset = r.position();
    long count = r.readVarUint();
    // Checked before allocating anything sized by the count.
    if (Long.compareUnsigned(count, r.remaining() / minFrameBytes) > 0) {
      throw new DecodeException(
          "frame count "
              + Long.toUnsignedString(count)
              + " exceeds what the "
              + r.remaining()
              + " bytes left could hold",
          countOffset);
    }
    if (count > maxFrames) {
      throw new DecodeException("frame count " + count + " exceeds " + maxFrames, countOffset);
    }
    List<StreamFrame> frames = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      int frameType = r.readUint8();
      StreamFrame frame = FrameCodec.read(frameType, r.slice(r.readLengthPrefix()));
      if (frame != null) {
        frames.add(frame);
      }
    }
    return new StreamPacket(type, sequence, prepareAmount, frames);
  }

  /** Encodes a STREAM packet canonically, without padding. */
  public static byte[] encode(StreamPacket packet) {
    OerWriter w = new OerWriter(64);
    w.writeUint8(packet.version());
    w.writeUint8(packet.ilpPacketType().code());
    w.writeVarUint(packet.sequence());
    w.writeVarUint(packet.prepareAmount());
    w.writeVarUint(packet.frames().size());
    for (StreamFrame frame : packet.frames()) {
      w.writeUint8(frame.type());
      int mark = w.beginVarOctetString();
      FrameCodec.write(frame, w);
      w.endVarOctetString(mark);
    }
    return w.toByteArray();
  }
}
