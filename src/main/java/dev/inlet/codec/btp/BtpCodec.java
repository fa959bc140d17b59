package dev.inlet.codec.btp;

import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.oer.OerReader;
import dev.inlet.codec.oer.OerWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * OER codec for BTP 2.0 packets (RFC 0023 "BilateralTransferProtocolPacket"): {@code type UInt8 |
 * requestId UInt32 | var-octet-string(contents)}. Contents by type: Message and Response are the
 * protocol data; Transfer is {@code amount UInt64} then the protocol data; Error is {@code code (3
 * ASCII bytes) | name var-octet-string | triggeredAt var-octet-string (GeneralizedTime, {@code
 * YYYYMMDDHHmmss.SSSZ}) | data var-octet-string} then the protocol data. The protocol data is a
 * var-uint count of entries, each {@code protocolName var-octet-string (ASCII) | contentType UInt8
 * | data var-octet-string}.
 *
 * <p>Decoding is strict, like {@link dev.inlet.codec.ilp.IlpCodec}'s: bytes after the envelope or
 * after the last field of its contents, an unknown type (BTP 1's Prepare, Fulfill, Reject
 * included), a non-ASCII name and an unreadable time are {@link DecodeException}s.
 */
public final class BtpCodec {
  /** Fewest bytes one protocol data entry takes: empty name and data prefixes and the type. */
  private static final int minEntryBytes = 3;

  /** How the JS reference writes {@code triggeredAt} (btp-packet); seconds-only is read too. */
  private static final DateTimeFormatter generalizedTime =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss[.SSS]'Z'");

  private static final DateTimeFormatter generalizedTimeOut =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss.SSS'Z'");

  private BtpCodec() {}

  /**
   * Decodes one BTP packet: a whole WebSocket binary message.
   *
   * @throws DecodeException if the bytes are not exactly one valid BTP 2.0 packet
   */
  public static BtpPacket decode(byte[] bytes) throws DecodeException {
    OerReader reader = new OerReader(bytes);
    int type = reader.readUint8();
    long requestId = reader.readUint32();
    OerReader contents = reader.slice(reader.readLengthPrefix());
    reader.requireEnd("the BTP packet");
    BtpPacket packet =
        switch (type) {
          case BtpMessage.typeCode -> new BtpMessage(requestId, readProtocolData(contents));
          case BtpResponse.typeCode -> new BtpResponse(requestId, readProtocolData(contents));
          case BtpTransfer.typeCode ->
              new BtpTransfer(requestId, contents.readUint64(), readProtocolData(contents));
          case BtpError.typeCode -> readError(requestId, contents);
          default -> throw new DecodeException("unknown BTP packet type " + type, 0);
        };
    contents.requireEnd("the BTP packet's fields");
    return packet;
  }

  /** Encodes {@code packet}. */
  public static byte[] encode(BtpPacket packet) {
    OerWriter w = new OerWriter(estimate(packet));
    w.writeUint8(packet.type());
    w.writeUint32(packet.requestId());
    int mark = w.beginVarOctetString();
    if (packet instanceof BtpTransfer t) {
      w.writeUint64(t.amount());
    } else if (packet instanceof BtpError e) {
      w.writeAscii(e.code());
      w.writeLengthPrefix(e.name().length());
      w.writeAscii(e.name());
      String time =
          generalizedTimeOut.format(LocalDateTime.ofInstant(e.triggeredAt(), ZoneOffset.UTC));
      w.writeLengthPrefix(time.length());
      w.writeAscii(time);
      w.writeVarOctetString(e.data());
    }
    writeProtocolData(w, packet.protocolData());
    w.endVarOctetString(mark);
    return w.toByteArray();
  }

  private static BtpError readError(long requestId, OerReader r) throws DecodeException {
    int codeOffset = r.position();
    String code = new String(r.readBytes(3), StandardCharsets.ISO_8859_1);
    if (!BtpError.isAscii(code)) {
      throw new DecodeException("BTP error code has a non-ASCII byte", codeOffset);
    }
    int nameOffset = r.position();
    String name = r.readVarString(StandardCharsets.ISO_8859_1);
    if (!BtpError.isAscii(name)) {
      throw new DecodeException("BTP error name has a non-ASCII byte", nameOffset);
    }
    int timeOffset = r.position();
    String time = r.readVarString(StandardCharsets.ISO_8859_1);
    Instant triggeredAt;
    try {
      triggeredAt = LocalDateTime.parse(time, generalizedTime).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new DecodeException("BTP error triggeredAt is not a GeneralizedTime", timeOffset);
    }
    byte[] data = r.readVarOctetString();
    return new BtpError(requestId, code, name, triggeredAt, data, readProtocolData(r));
  }

  private static List<ProtocolData> readProtocolData(OerReader r) throws DecodeException {
    int countOffset = r.position();
    long count = r.readVarUint();
    if (Long.compareUnsigned(count, r.remaining() / minEntryBytes) > 0) {
      throw new DecodeException(
          Long.toUnsignedString(count) + " protocol data entries cannot fit in the bytes left",
          countOffset);
    }
    List<ProtocolData> entries = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      int nameOffset = r.position();
      String name = r.readVarString(StandardCharsets.ISO_8859_1);
      String problem = ProtocolData.nameProblem(name);
      if (problem != null) {
        throw new DecodeException(problem, nameOffset);
      }
      int contentType = r.readUint8();
      entries.add(new ProtocolData(name, contentType, r.readVarOctetString()));
    }
    return entries;
  }

  private static void writeProtocolData(OerWriter w, List<ProtocolData> entries) {
    w.writeVarUint(entries.size());
    for (ProtocolData p : entries) {
      w.writeLengthPrefix(p.protocolName().length());
      w.writeAscii(p.protocolName());
      w.writeUint8(p.contentType());
      w.writeVarOctetString(p.data());
    }
  }

  /** Room for the whole packet, so that writing never grows the buffer. */
  private static int estimate(BtpPacket packet) {
    int size = 1 + 4 + 5 + 8 + 5;
    for (ProtocolData p : packet.protocolData()) {
      size += p.protocolName().length() + p.data().length + 1 + 2 * 5;
    }
    if (packet instanceof BtpError e) {
      size += 3 + e.name().length() + 24 + e.data().length + 3 * 5;
    }
    return size;
  }
}
