package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.StreamKeys;

/** Reads the receiver's STREAM reply from a Fulfill's or Reject's data (RFC 0029 §5.2). */
final class ReplyReader {
  private ReplyReader() {}

  /**
   * The reply, or null when the data is empty, does not decrypt or decode, names another ILP packet
   * type than the one that carried it, or answers another sequence: then it is not the receiver's
   * (a connector's Reject has no STREAM data).
   */
  static StreamPacket read(StreamKeys keys, byte[] data, IlpPacketType carrier, long sequence) {
    if (data.length == 0) {
      return null;
    }
    try {
      StreamPacket reply = StreamCodec.decode(keys.decrypt(data));
      return reply.ilpPacketType() == carrier && reply.sequence() == sequence ? reply : null;
    } catch (DecryptionException | DecodeException e) {
      return null;
    }
  }
}
