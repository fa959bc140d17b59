package dev.inlet.codec.oer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OerWriterTest {
  private static String hex(OerWriter w) {
    return HexFormat.of().formatHex(w.toByteArray());
  }

  @Test
  void writesFixedWidthBigEndianUnsignedIntegers() {
    OerWriter w = new OerWriter(0);
    w.writeUint8(0xff);
    w.writeUint16(0x1234);
    w.writeUint32(0xababababL);
    w.writeUint64(-1L);
    assertThat(hex(w)).isEqualTo("ff" + "1234" + "abababab" + "ffffffffffffffff");
    assertThat(w.size()).isEqualTo(15);
  }

  @ParameterizedTest
  @CsvSource({"0, 00", "127, 7f", "128, 8180", "300, 82012c", "65536, 83010000"})
  void writesCanonicalLengthPrefix(int length, String expected) {
    OerWriter w = new OerWriter(4);
    w.writeLengthPrefix(length);
    assertThat(hex(w)).isEqualTo(expected);
    assertThat(OerWriter.lengthPrefixSize(length)).isEqualTo(expected.length() / 2);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0100",
    "255, 01ff",
    "256, 020100",
    "9007199254740991, 071fffffffffffff",
    "18446744073709551615, 08ffffffffffffffff"
  })
  void writesMinimalVarUint(String value, String expected) {
    OerWriter w = new OerWriter(1);
    w.writeVarUint(Long.parseUnsignedLong(value));
    assertThat(hex(w)).isEqualTo(expected);
  }

  @Test
  void endVarOctetStringInsertsTheLengthPrefixInPlace() {
    OerWriter w = new OerWriter(1);
    w.writeUint8(0xaa);
    int mark = w.beginVarOctetString();
    w.writeBytes(new byte[300]);
    w.endVarOctetString(mark);
    w.writeUint8(0xbb);
    byte[] out = w.toByteArray();
    assertThat(HexFormat.of().formatHex(out, 0, 4)).isEqualTo("aa82012c");
    assertThat(out).hasSize(1 + 3 + 300 + 1);
    assertThat(out[out.length - 1]).isEqualTo((byte) 0xbb);
  }

  @Test
  void toByteArrayIsNotChangedByLaterWrites() {
    OerWriter w = new OerWriter(16);
    w.writeBytes(new byte[16]);
    byte[] first = w.toByteArray();
    w.writeUint8(1);
    int mark = w.beginVarOctetString();
    w.endVarOctetString(mark);
    assertThat(first).containsOnly(0).hasSize(16);
    assertThat(w.toByteArray()).hasSize(18);
  }

  @Test
  void roundTripsRandomValuesThroughTheReader() throws DecodeException {
    Random random = new Random(7);
    OerWriter w = new OerWriter(8);
    long[] values = new long[2000];
    byte[][] strings = new byte[200][];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextLong() >>> random.nextInt(64);
      w.writeVarUint(values[i]);
      w.writeUint64(values[i]);
      if (i < strings.length) {
        strings[i] = new byte[random.nextInt(70_000)];
        random.nextBytes(strings[i]);
        w.writeVarOctetString(strings[i]);
      }
    }
    OerReader r = new OerReader(w.toByteArray());
    for (int i = 0; i < values.length; i++) {
      assertThat(r.readVarUint()).isEqualTo(values[i]);
      assertThat(r.readUint64()).isEqualTo(values[i]);
      if (i < strings.length) {
        assertThat(r.readVarOctetString()).isEqualTo(strings[i]);
      }
    }
    assertThat(r.remaining()).isZero();
  }
}
