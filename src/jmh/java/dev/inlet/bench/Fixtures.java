package dev.inlet.bench;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.stream.ConnectionAssetDetails;
import dev.inlet.codec.stream.ConnectionMaxData;
import dev.inlet.codec.stream.ConnectionMaxStreamId;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.StreamKeys;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The packets the benchmarks work on: a sender's first STREAM Prepare and the receiver's Fulfill
 * reply, as in a real payment, with fixed keys so every run measures the same bytes.
 */
final class Fixtures {
  /**
   * 40 characters (Inlet's own addresses, {@code <address>.<account>.<51-character token>}, are
   * longer).
   */
  static final IlpAddress destination = IlpAddress.of("g.inlet.alice.AeTRpa92xK3mQ7vLw0ZbN5cUfH");

  /**
   * The sender's address in {@code ConnectionNewAddress}, sized so the encrypted STREAM packet is
   * 100 bytes.
   */
  static final IlpAddress senderAddress =
      IlpAddress.of("g.wallet.bob.4f1c9e2a7b3d8c6e5a0f1b2c3d4e5f6a7");

  static final long sequence = 1;
  static final long amount = 100_000;
  static final long minAmount = 99_000;
  static final int encryptedDataBytes = 100;

  private static final long seed = 0x1e7_5eed;

  private Fixtures() {}

  /**
   * @return {@code length} bytes, the same on every run for a given {@code salt}
   */
  static byte[] bytes(int length, int salt) {
    byte[] b = new byte[length];
    new Random(seed + salt).nextBytes(b);
    return b;
  }

  static byte[] sharedSecret() {
    return bytes(StreamKeys.sharedSecretBytes, 1);
  }

  static byte[] serverSecret() {
    return bytes(32, 2);
  }

  /** A sender's first packet: its address, its asset, and money for stream 1. */
  static StreamPacket streamPrepare() {
    return new StreamPacket(
        IlpPacketType.PREPARE,
        sequence,
        minAmount,
        List.of(
            new ConnectionNewAddress(senderAddress),
            new ConnectionAssetDetails("USD", 9),
            new StreamMoney(1, 1)));
  }

  /** The receiver's answer to that first packet: its asset and limits, and stream 1's totals. */
  static List<StreamFrame> replyFrames() {
    return List.of(
        new ConnectionAssetDetails("USD", 9),
        new ConnectionMaxStreamId(255),
        new ConnectionMaxData(16_384),
        new StreamMaxMoney(1, -1L, amount));
  }

  /** The ILP Prepare carrying {@code encryptedData}, with the condition the receiver can fulfil. */
  static IlpPrepare ilpPrepare(StreamKeys keys, byte[] encryptedData) {
    byte[] condition = Conditions.condition(keys.fulfillment(encryptedData));
    return new IlpPrepare(
        amount, Instant.parse("2030-01-01T00:00:30.123Z"), condition, destination, encryptedData);
  }

  /** Encrypts {@link #streamPrepare()} under {@code keys} and checks its size. */
  static byte[] encryptedPrepare(StreamKeys keys) {
    byte[] data = keys.encrypt(StreamCodec.encode(streamPrepare()));
    check("encrypted STREAM Prepare length", encryptedDataBytes, data.length);
    return data;
  }

  /**
   * Stops the run when the two providers disagree: a comparison of code that gives different
   * answers means nothing.
   */
  static void check(String what, Object expected, Object actual) {
    boolean same =
        expected instanceof byte[] e && actual instanceof byte[] a
            ? Arrays.equals(e, a)
            : Objects.equals(expected, actual);
    if (!same) {
      throw new IllegalStateException(
          what + " differs: expected " + show(expected) + " but got " + show(actual));
    }
  }

  private static String show(Object value) {
    return value instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(value);
  }
}
