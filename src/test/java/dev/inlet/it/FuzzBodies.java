package dev.inlet.it;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.oer.OerWriter;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.ConnectionMaxData;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamClose;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamData;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamMoneyBlocked;
import dev.inlet.codec.stream.StreamPacket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The bodies {@link IlpFuzzTest} posts, generated from one seeded Random: the same choices on every
 * run.
 */
final class FuzzBodies {
  private final Random random;
  private final List<TestSender> senders;
  private final List<TestSender> mutatedSenders;
  private final List<byte[]> sent = new ArrayList<>();
  int validPrepares;

  FuzzBodies(Random random, List<TestSender> senders, List<TestSender> mutatedSenders) {
    this.random = random;
    this.senders = senders;
    this.mutatedSenders = mutatedSenders;
  }

  byte[] next() {
    int kind = random.nextInt(100);
    if (kind < 25) {
      return bytes(random.nextInt(2001));
    } else if (kind < 60) {
      return mutate(IlpCodec.encode(simplePrepare()));
    } else if (kind < 65 && !sent.isEmpty()) {
      return sent.get(random.nextInt(sent.size()));
    }
    validPrepares++;
    byte[] body = IlpCodec.encode(randomPrepare());
    if (sent.size() < 500) {
      sent.add(body);
    }
    return body;
  }

  /** A Prepare that would be fulfilled: some money on stream 1. */
  private IlpPrepare simplePrepare() {
    TestSender s = mutatedSenders.get(random.nextInt(mutatedSenders.size()));
    return s.prepare(1 + random.nextInt(1_000), s.nextSequence(), 0, new StreamMoney(1, 1));
  }

  /**
   * A well-formed Prepare with a random amount, minimum, sequence, frames, condition and expiry.
   */
  private IlpPrepare randomPrepare() {
    TestSender s = senders.get(random.nextInt(senders.size()));
    long amount =
        switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> 1;
          default -> random.nextInt(1_000_000);
        };
    long minimum =
        switch (random.nextInt(10)) {
          case 0 -> amount + 1 + random.nextInt(10);
          case 1 -> amount;
          default -> 0;
        };
    long sequence = random.nextInt(10) == 0 ? 1 + random.nextInt(50) : s.nextSequence();
    List<StreamFrame> frames = new ArrayList<>();
    for (int i = random.nextInt(6); i > 0; i--) {
      frames.add(frame());
    }
    byte[] plaintext =
        StreamCodec.encode(new StreamPacket(IlpPacketType.PREPARE, sequence, minimum, frames));
    if (random.nextInt(10) == 0) {
      plaintext =
          random.nextBoolean()
              ? concat(plaintext, new byte[random.nextInt(40)])
              : mutate(plaintext);
    }
    IlpPrepare p = s.prepare(amount, plaintext);
    if (random.nextInt(10) == 0) {
      p = TestSender.unfulfillable(p);
    }
    if (random.nextInt(50) == 0) {
      p = TestSender.expiringAt(p, Instant.now().plusMillis(random.nextInt(3_000) - 1_000));
    }
    return p;
  }

  /**
   * A random frame; those that close a connection or a stream are rare, so that most connections
   * stay open.
   */
  private StreamFrame frame() {
    int k = random.nextInt(1_000);
    if (k < 600) {
      return new StreamMoney(streamId(), random.nextInt(20));
    } else if (k < 700) {
      return new StreamData(streamId(), dataOffset(), bytes(random.nextInt(64)));
    } else if (k < 780) {
      return new ConnectionNewAddress(IlpAddress.of("test.sender.f" + random.nextInt(100)));
    } else if (k < 860) {
      return new StreamMaxMoney(streamId(), random.nextLong(), random.nextLong());
    } else if (k < 940) {
      return new StreamMoneyBlocked(streamId(), random.nextLong(), random.nextLong());
    } else if (k < 990) {
      return new ConnectionMaxData(random.nextLong());
    } else if (k < 997) {
      return new StreamClose(streamId(), new StreamErrorCode(random.nextInt(10)), "fuzz");
    }
    return new ConnectionClose(new StreamErrorCode(random.nextInt(10)), "fuzz");
  }

  /** Mostly valid client streams; now and then an even, zero or too large id. */
  private long streamId() {
    return switch (random.nextInt(400)) {
      case 0 -> 2L * random.nextInt(10);
      case 1 -> 257 + random.nextInt(1_000);
      case 2 -> random.nextLong();
      default -> 1 + 2L * random.nextInt(5);
    };
  }

  /** Mostly well within ConnectionMaxData; now and then past it. */
  private long dataOffset() {
    return random.nextInt(100) == 0 ? 16_000 + random.nextInt(1_000) : 64L * random.nextInt(100);
  }

  /** One to three of: flipped bytes, a truncation, appended junk, a changed length prefix. */
  private byte[] mutate(byte[] valid) {
    byte[] b = valid.clone();
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      switch (random.nextInt(4)) {
        case 0 -> {
          for (int j = 1 + random.nextInt(4); j > 0 && b.length > 0; j--) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
        case 2 -> b = concat(b, bytes(1 + random.nextInt(64)));
        default -> b = changeLengthPrefix(b);
      }
    }
    return b;
  }

  /**
   * Rewrites the length prefix of the envelope or of the data field (of a still valid Prepare): a
   * random byte, or the same length in a non-canonical long form.
   */
  private byte[] changeLengthPrefix(byte[] b) {
    IlpPrepare p = IlpFuzzTest.decodePrepare(b);
    if (p == null) {
      return b;
    }
    int at;
    int size;
    if (random.nextBoolean()) {
      at = 1;
      size = (b[1] & 0x80) == 0 ? 1 : 1 + (b[1] & 0x7f);
    } else {
      size = OerWriter.lengthPrefixSize(p.data().length);
      at = b.length - p.data().length - size;
    }
    int length = readLength(b, at, size);
    byte[] prefix =
        random.nextBoolean()
            ? new byte[] {(byte) random.nextInt(256)}
            : new byte[] {(byte) 0x83, 0, (byte) (length >> 8), (byte) length};
    return concat(concat(Arrays.copyOf(b, at), prefix), Arrays.copyOfRange(b, at + size, b.length));
  }

  private static int readLength(byte[] b, int at, int size) {
    if (size == 1) {
      return b[at];
    }
    int length = 0;
    for (int i = 1; i < size; i++) {
      length = length << 8 | (b[at + i] & 0xff);
    }
    return length;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
