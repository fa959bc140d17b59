package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.StreamKeys;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/** Builds the Prepares of one connection: encrypted STREAM packet, condition, expiry. */
final class Outgoing {
  private static final SecureRandom random = new SecureRandom();

  private final StreamKeys keys;
  private final IlpAddress destination;

  Outgoing(StreamKeys keys, IlpAddress destination) {
    this.keys = keys;
    this.destination = destination;
  }

  /** The connection's keys, to read the receiver's replies. */
  StreamKeys keys() {
    return keys;
  }

  /**
   * A Prepare the receiver can fulfil: its condition is SHA-256 of HMAC(fulfillmentKey, data) (RFC
   * 0029 §6.3).
   *
   * @param amount source amount (unsigned 64-bit)
   * @param minDelivered the STREAM {@code prepareAmount}: the least the receiver may accept
   */
  IlpPrepare fulfillable(
      long sequence, long amount, long minDelivered, List<StreamFrame> frames, Instant expiresAt) {
    byte[] data = data(sequence, minDelivered, frames);
    byte[] condition = Conditions.condition(keys.fulfillment(data));
    return new IlpPrepare(amount, expiresAt, condition, destination, data);
  }

  /**
   * A probe: a random condition nobody can fulfil, so no money moves while the receiver's reply
   * tells what arrived (RFC 0029 §4.3).
   */
  IlpPrepare unfulfillable(
      long sequence, long amount, List<StreamFrame> frames, Instant expiresAt) {
    byte[] condition = new byte[Conditions.lengthBytes];
    random.nextBytes(condition);
    return new IlpPrepare(amount, expiresAt, condition, destination, data(sequence, 0, frames));
  }

  private byte[] data(long sequence, long minDelivered, List<StreamFrame> frames) {
    return keys.encrypt(
        StreamCodec.encode(
            new StreamPacket(IlpPacketType.PREPARE, sequence, minDelivered, frames)));
  }
}
