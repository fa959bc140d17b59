package dev.inlet.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Vectors;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.stream.StreamCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Decoders face bytes from untrusted peers: whatever arrives, the only failure they may report is
 * {@link DecodeException}. Random and mutated inputs (from a fixed seed, so failures reproduce) are
 * pushed through both codecs; any other throwable fails the test.
 */
class MalformedInputFuzzTest {
  private static final int cases = 20_000;

  @FunctionalInterface
  private interface Decoder {
    Object decode(byte[] bytes) throws DecodeException;
  }

  @Test
  void ilpDecodeThrowsOnlyDecodeException() {
    List<byte[]> seeds = new ArrayList<>();
    Vectors.entries("ilp-packets.json")
        .forEach(v -> seeds.add(HexFormat.of().parseHex(v.get("hex").asString())));
    assertOnlyDecodeException(seeds, IlpCodec::decode, new Random(20260102L));
    assertOnlyDecodeException(seeds, IlpCodec::decodePrepare, new Random(12L));
  }

  @Test
  void streamDecodeThrowsOnlyDecodeException() {
    List<byte[]> seeds = new ArrayList<>();
    Vectors.entries("StreamPacketFixtures.json")
        .forEach(f -> seeds.add(Base64.getDecoder().decode(f.get("buffer").asString())));
    assertOnlyDecodeException(seeds, StreamCodec::decode, new Random(29L));
  }

  private static void assertOnlyDecodeException(
      List<byte[]> seeds, Decoder decoder, Random random) {
    int decoded = 0;
    int rejected = 0;
    for (int i = 0; i < cases; i++) {
      byte[] input =
          i % 5 == 0
              ? randomBytes(random)
              : mutate(seeds.get(random.nextInt(seeds.size())), random);
      try {
        decoder.decode(input);
        decoded++;
      } catch (DecodeException expected) {
        rejected++;
      } catch (Throwable t) {
        throw new AssertionError("input " + HexFormat.of().formatHex(input) + " threw " + t, t);
      }
    }
    assertThat(decoded + rejected).isEqualTo(cases);
    assertThat(rejected).as("most mutations are invalid").isPositive();
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(64)];
    random.nextBytes(bytes);
    if (bytes.length > 0 && random.nextBoolean()) {
      // A plausible leading type/version byte reaches deeper into the decoders.
      bytes[0] = (byte) (random.nextBoolean() ? 1 : 12 + random.nextInt(3));
    }
    return bytes;
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] bytes = seed.clone();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      switch (random.nextInt(5)) {
        case 0 -> {
          if (bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          if (bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
          }
        }
        case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        case 3 -> {
          byte[] grown = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(8));
          for (int j = bytes.length; j < grown.length; j++) {
            grown[j] = (byte) random.nextInt(256);
          }
          bytes = grown;
        }
        default -> {
          if (bytes.length > 1) {
            // Length prefixes and counts are the interesting bytes: set one to an extreme value.
            int extreme = random.nextBoolean() ? 0x80 | random.nextInt(10) : 0xff;
            bytes[random.nextInt(bytes.length)] = (byte) extreme;
          }
        }
      }
    }
    return bytes;
  }
}
