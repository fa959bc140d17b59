package dev.inlet.codec.ilp;

import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.oer.OerReader;
import dev.inlet.codec.oer.OerWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * OER codec for ILPv4 packets (RFC 0027 "Packet Format"). A packet is the envelope {@code type
 * UInt8 | var-octet-string(contents)} and nothing else: bytes after the envelope, and bytes inside
 * it after the last field, are rejected, because ILPv4 defines no extension fields and a canonical
 * encoding lets one packet have exactly one byte form.
 */
public final class IlpCodec {
  /**
   * Largest encoded Prepare, bytes (33,857): type (1), envelope length prefix (3), amount (8),
   * expiresAt (17), executionCondition (32), then destination and data at their largest ({@link
   * IlpAddress#maxBytes}, {@link IlpPacket#maxDataBytes}), each after a 3-byte length prefix. No
   * valid Prepare is longer.
   */
  public static final int maxPrepareBytes =
      1 + 3 + 8 + 17 + 32 + 3 + IlpAddress.maxBytes + 3 + IlpPacket.maxDataBytes;

  private IlpCodec() {}

  /**
   * Decodes a Prepare, Fulfill or Reject.
   *
   * @throws DecodeException if the bytes are not exactly one valid, canonically encoded ILPv4
   *     packet
   */
  public static IlpPacket decode(byte[] bytes) throws DecodeException {
    OerReader reader = new OerReader(bytes);
    int code = reader.readUint8();
    IlpPacketType type = IlpPacketType.fromCode(code);
    if (type == null) {
      throw new DecodeException("unknown ILP packet type " + code, 0);
    }
    OerReader contents = envelopeContents(reader);
    return switch (type) {
      case PREPARE -> readPrepare(contents);
      case FULFILL -> readFulfill(contents);
      case REJECT -> readReject(contents);
    };
  }

  /**
   * Decodes a packet that must be a Prepare: what a receiver is sent.
   *
   * @throws DecodeException if the bytes are another packet type or not a valid Prepare
   */
  public static IlpPrepare decodePrepare(byte[] bytes) throws DecodeException {
    OerReader reader = new OerReader(bytes);
    int code = reader.readUint8();
    if (code != IlpPacketType.PREPARE.code()) {
      throw new DecodeException("expected an ILP Prepare (type 12) but got type " + code, 0);
    }
    return readPrepare(envelopeContents(reader));
  }

  /** Encodes a packet in its canonical OER form. */
  public static byte[] encode(IlpPacket packet) {
    if (packet instanceof IlpPrepare p) {
      return encodePrepare(p);
    } else if (packet instanceof IlpFulfill f) {
      return encodeFulfill(f);
    } else {
      return encodeReject((IlpReject) packet);
    }
  }

  private static OerReader envelopeContents(OerReader reader) throws DecodeException {
    OerReader contents = reader.slice(reader.readLengthPrefix());
    reader.requireEnd("the ILP packet envelope");
    return contents;
  }

  private static IlpPrepare readPrepare(OerReader r) throws DecodeException {
    long amount = r.readUint64();
    int expiryOffset = r.position();
    r.skip(IlpTimestamp.lengthBytes);
    Instant expiresAt = IlpTimestamp.parse(r.array(), expiryOffset);
    byte[] condition = r.readBytes(Packets.hashBytes);
    IlpAddress destination = IlpAddress.read(r);
    byte[] data = readData(r);
    r.requireEnd("the ILP Prepare fields");
    return new IlpPrepare(amount, expiresAt, condition, destination, data);
  }

  private static IlpFulfill readFulfill(OerReader r) throws DecodeException {
    byte[] fulfillment = r.readBytes(Packets.hashBytes);
    byte[] data = readData(r);
    r.requireEnd("the ILP Fulfill fields");
    return new IlpFulfill(fulfillment, data);
  }

  private static IlpReject readReject(OerReader r) throws DecodeException {
    int codeOffset = r.position();
    r.skip(IlpErrorCode.codeLength);
    byte[] buf = r.array();
    for (int i = codeOffset; i < codeOffset + IlpErrorCode.codeLength; i++) {
      if (buf[i] < 0) {
        throw new DecodeException("ILP error code has a non-ASCII byte", i);
      }
    }
    IlpErrorCode code =
        new IlpErrorCode(
            new String(buf, codeOffset, IlpErrorCode.codeLength, StandardCharsets.US_ASCII));
    int triggeredByOffset = r.position();
    String triggeredBy = r.readVarString(StandardCharsets.ISO_8859_1);
    Optional<IlpAddress> address =
        triggeredBy.isEmpty()
            ? Optional.empty()
            : Optional.of(IlpAddress.parseAt(triggeredBy, triggeredByOffset));
    String message = r.readVarString(StandardCharsets.UTF_8);
    byte[] data = readData(r);
    r.requireEnd("the ILP Reject fields");
    return new IlpReject(code, address, message, data);
  }

  private static byte[] readData(OerReader r) throws DecodeException {
    int offset = r.position();
    int length = r.readLengthPrefix();
    if (length > IlpPacket.maxDataBytes) {
      throw new DecodeException(
          "data is " + length + " bytes, over the " + IlpPacket.maxDataBytes + " byte limit",
          offset);
    }
    return r.readBytes(length);
  }

  private static byte[] encodePrepare(IlpPrepare p) {
    int contents =
        8
            + IlpTimestamp.lengthBytes
            + Packets.hashBytes
            + varSize(p.destination().value().length())
            + varSize(p.data().length);
    OerWriter w = envelope(IlpPacketType.PREPARE, contents);
    w.writeUint64(p.amount());
    IlpTimestamp.write(p.expiresAt(), w);
    w.writeBytes(p.executionCondition());
    p.destination().write(w);
    w.writeVarOctetString(p.data());
    return w.toByteArray();
  }

  private static byte[] encodeFulfill(IlpFulfill f) {
    OerWriter w = envelope(IlpPacketType.FULFILL, Packets.hashBytes + varSize(f.data().length));
    w.writeBytes(f.fulfillment());
    w.writeVarOctetString(f.data());
    return w.toByteArray();
  }

  private static byte[] encodeReject(IlpReject r) {
    String triggeredBy = r.triggeredBy().map(IlpAddress::value).orElse("");
    byte[] message = r.message().getBytes(StandardCharsets.UTF_8);
    int contents =
        IlpErrorCode.codeLength
            + varSize(triggeredBy.length())
            + varSize(message.length)
            + varSize(r.data().length);
    OerWriter w = envelope(IlpPacketType.REJECT, contents);
    w.writeAscii(r.code().code());
    w.writeLengthPrefix(triggeredBy.length());
    w.writeAscii(triggeredBy);
    w.writeVarOctetString(message);
    w.writeVarOctetString(r.data());
    return w.toByteArray();
  }

  /** A writer sized exactly for the packet, with the type and contents length already written. */
  private static OerWriter envelope(IlpPacketType type, int contentsLength) {
    OerWriter w = new OerWriter(1 + varSize(contentsLength));
    w.writeUint8(type.code());
    w.writeLengthPrefix(contentsLength);
    return w;
  }

  /** Size of a var-octet-string of {@code length} bytes: prefix plus contents. */
  private static int varSize(int length) {
    return OerWriter.lengthPrefixSize(length) + length;
  }
}
