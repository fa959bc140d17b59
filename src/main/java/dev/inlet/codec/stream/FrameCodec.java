package dev.inlet.codec.stream;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.oer.OerReader;
import dev.inlet.codec.oer.OerWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads and writes the contents of each STREAM frame type (RFC 0029 sections 5.3.1 to 5.3.15). */
final class FrameCodec {
  private FrameCodec() {}

  /**
   * Reads the contents of a frame of type {@code type}, which must fill {@code r} exactly.
   *
   * @return the frame, or null if the type is unknown (the caller skips it, RFC 0029 section 5.3)
   * @throws DecodeException if the contents are malformed or followed by junk inside the frame
   */
  static StreamFrame read(int type, OerReader r) throws DecodeException {
    StreamFrame frame = readKnown(type, r);
    if (frame != null) {
      r.requireEnd("the contents of frame type " + type);
    }
    return frame;
  }

  private static StreamFrame readKnown(int type, OerReader r) throws DecodeException {
    return switch (type) {
      case ConnectionClose.typeCode -> new ConnectionClose(errorCode(r), utf8(r));
      case ConnectionNewAddress.typeCode -> new ConnectionNewAddress(optionalAddress(r));
      case ConnectionMaxData.typeCode -> new ConnectionMaxData(r.readVarUint());
      case ConnectionDataBlocked.typeCode -> new ConnectionDataBlocked(r.readVarUint());
      case ConnectionMaxStreamId.typeCode -> new ConnectionMaxStreamId(r.readVarUint());
      case ConnectionStreamIdBlocked.typeCode -> new ConnectionStreamIdBlocked(r.readVarUint());
      case ConnectionAssetDetails.typeCode -> new ConnectionAssetDetails(utf8(r), r.readUint8());
      case StreamClose.typeCode -> new StreamClose(r.readVarUint(), errorCode(r), utf8(r));
      case StreamMoney.typeCode -> new StreamMoney(r.readVarUint(), r.readVarUint());
      // receiveMax saturates at MaxUInt64 rather than failing: RFC 0029 section 5.1.4.
      case StreamMaxMoney.typeCode ->
          new StreamMaxMoney(r.readVarUint(), r.readVarUintSaturating(), r.readVarUint());
      // sendMax saturates at MaxUInt64 rather than failing: RFC 0029 section 5.1.4.
      case StreamMoneyBlocked.typeCode ->
          new StreamMoneyBlocked(r.readVarUint(), r.readVarUintSaturating(), r.readVarUint());
      case StreamData.typeCode ->
          new StreamData(r.readVarUint(), r.readVarUint(), r.readVarOctetString());
      case StreamMaxData.typeCode -> new StreamMaxData(r.readVarUint(), r.readVarUint());
      case StreamDataBlocked.typeCode -> new StreamDataBlocked(r.readVarUint(), r.readVarUint());
      case StreamReceipt.typeCode -> new StreamReceipt(r.readVarUint(), r.readVarOctetString());
      default -> null;
    };
  }

  /** Writes the contents of {@code frame} (without its type and length). */
  static void write(StreamFrame frame, OerWriter w) {
    if (frame instanceof ConnectionClose f) {
      w.writeUint8(f.errorCode().code());
      writeUtf8(f.message(), w);
    } else if (frame instanceof ConnectionNewAddress f) {
      if (f.sourceAccount().isPresent()) {
        f.sourceAccount().get().write(w);
      } else {
        w.writeLengthPrefix(0);
      }
    } else if (frame instanceof ConnectionMaxData f) {
      w.writeVarUint(f.maxOffset());
    } else if (frame instanceof ConnectionDataBlocked f) {
      w.writeVarUint(f.maxOffset());
    } else if (frame instanceof ConnectionMaxStreamId f) {
      w.writeVarUint(f.maxStreamId());
    } else if (frame instanceof ConnectionStreamIdBlocked f) {
      w.writeVarUint(f.maxStreamId());
    } else if (frame instanceof ConnectionAssetDetails f) {
      writeUtf8(f.sourceAssetCode(), w);
      w.writeUint8(f.sourceAssetScale());
    } else if (frame instanceof StreamClose f) {
      w.writeVarUint(f.streamId());
      w.writeUint8(f.errorCode().code());
      writeUtf8(f.message(), w);
    } else if (frame instanceof StreamMoney f) {
      w.writeVarUint(f.streamId());
      w.writeVarUint(f.shares());
    } else if (frame instanceof StreamMaxMoney f) {
      w.writeVarUint(f.streamId());
      w.writeVarUint(f.receiveMax());
      w.writeVarUint(f.totalReceived());
    } else if (frame instanceof StreamMoneyBlocked f) {
      w.writeVarUint(f.streamId());
      w.writeVarUint(f.sendMax());
      w.writeVarUint(f.totalSent());
    } else if (frame instanceof StreamData f) {
      w.writeVarUint(f.streamId());
      w.writeVarUint(f.offset());
      w.writeVarOctetString(f.data());
    } else if (frame instanceof StreamMaxData f) {
      w.writeVarUint(f.streamId());
      w.writeVarUint(f.maxOffset());
    } else if (frame instanceof StreamDataBlocked f) {
      w.writeVarUint(f.streamId());
      w.writeVarUint(f.maxOffset());
    } else {
      StreamReceipt f = (StreamReceipt) frame;
      w.writeVarUint(f.streamId());
      w.writeVarOctetString(f.receipt());
    }
  }

  /**
   * An address field that may be empty (ConnectionNewAddress from a sender with no address of its
   * own).
   */
  private static Optional<IlpAddress> optionalAddress(OerReader r) throws DecodeException {
    if (r.remaining() > 0 && r.array()[r.position()] == 0) {
      r.readLengthPrefix();
      return Optional.empty();
    }
    return Optional.of(IlpAddress.read(r));
  }

  private static StreamErrorCode errorCode(OerReader r) throws DecodeException {
    return new StreamErrorCode(r.readUint8());
  }

  /**
   * Diagnostic strings decode leniently: a bad UTF-8 sequence becomes U+FFFD rather than an error.
   */
  private static String utf8(OerReader r) throws DecodeException {
    return r.readVarString(StandardCharsets.UTF_8);
  }

  private static void writeUtf8(String s, OerWriter w) {
    w.writeVarOctetString(s.getBytes(StandardCharsets.UTF_8));
  }
}
