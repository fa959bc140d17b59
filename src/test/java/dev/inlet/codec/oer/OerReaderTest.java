package dev.inlet.codec.oer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OerReaderTest {
  private static OerReader reader(String hex) {
    return new OerReader(HexFormat.of().parseHex(hex));
  }

  @Test
  void readsFixedWidthBigEndianUnsignedIntegers() throws DecodeException {
    OerReader r = reader("ff" + "1234" + "abababab" + "ac01055a1debac1e" + "ffffffffffffffff");
    assertThat(r.readUint8()).isEqualTo(255);
    assertThat(r.readUint16()).isEqualTo(4660);
    assertThat(r.readUint32()).isEqualTo(2880154539L);
    assertThat(Long.toUnsignedString(r.readUint64())).isEqualTo("12394193534107495454");
    assertThat(r.readUint64()).isEqualTo(-1L);
    assertThat(r.remaining()).isZero();
  }

  @ParameterizedTest
  @CsvSource({"07, 7", "7f, 127", "8180, 128", "8182, 130", "821234, 4660"})
  void readsCanonicalLengthPrefixes(String prefix, int expected) throws DecodeException {
    OerReader r = new OerReader(new byte[prefix.length() / 2 + expected]);
    System.arraycopy(HexFormat.of().parseHex(prefix), 0, r.array(), 0, prefix.length() / 2);
    assertThat(r.readLengthPrefix()).isEqualTo(expected);
    assertThat(r.remaining()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8105" + "0000000000", "817f", "820080", "80", "89010000000000000000"})
  void rejectsNonCanonicalOrOversizedLengthPrefix(String hex) {
    assertThatThrownBy(() -> reader(hex + "00".repeat(200)).readLengthPrefix())
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("at offset 0");
  }

  @Test
  void rejectsLengthBeyondBuffer() {
    assertThatThrownBy(() -> reader("05aabbccdd").readLengthPrefix())
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("exceeds the 4 bytes left");
    assertThatThrownBy(() -> reader("8201000000").readLengthPrefix())
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("88ffffffffffffffff").readLengthPrefix())
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void rejectsTruncatedLongFormLength() {
    assertThatThrownBy(() -> reader("8201").readLengthPrefix()).isInstanceOf(DecodeException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "0100, 0",
    "0101, 1",
    "01ff, 255",
    "020100, 256",
    "071fffffffffffff, 9007199254740991",
    "08ffffffffffffffff, 18446744073709551615"
  })
  void readsVarUint(String hex, String expected) throws DecodeException {
    assertThat(Long.toUnsignedString(reader(hex).readVarUint())).isEqualTo(expected);
  }

  @Test
  void rejectsEmptyVarUint() {
    assertThatThrownBy(() -> reader("00").readVarUint())
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"020001", "0200ff", "03000000", "080000000000000001"})
  void rejectsNonCanonicalVarUint(String hex) {
    assertThatThrownBy(() -> reader(hex).readVarUint())
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("leading zero");
  }

  @Test
  void rejectsVarUintLongerThan8Bytes() {
    assertThatThrownBy(() -> reader("09010000000000000000").readVarUint())
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("does not fit in 64 bits");
  }

  @Test
  void saturatingVarUintDecodesOversizedValueAsMaxUint64() throws DecodeException {
    OerReader r = reader("09010000000000000000" + "0a" + "ff".repeat(10) + "0105");
    assertThat(r.readVarUintSaturating()).isEqualTo(-1L);
    assertThat(r.readVarUintSaturating()).isEqualTo(-1L);
    assertThat(r.readVarUintSaturating()).isEqualTo(5L);
    assertThat(r.remaining()).isZero();
  }

  @Test
  void saturatingVarUintStillRejectsNonCanonicalAndEmpty() {
    assertThatThrownBy(() -> reader("09000000000000000001").readVarUintSaturating())
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("00").readVarUintSaturating())
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void readsVarOctetStringAndText() throws DecodeException {
    byte[] text = "héllo".getBytes(StandardCharsets.UTF_8);
    OerReader r =
        reader(
            "03010203"
                + HexFormat.of().formatHex(new byte[] {(byte) text.length})
                + HexFormat.of().formatHex(text));
    assertThat(r.readVarOctetString()).containsExactly(1, 2, 3);
    assertThat(r.readVarString(StandardCharsets.UTF_8)).isEqualTo("héllo");
  }

  @Test
  void everyReadPastTheEndIsADecodeException() {
    assertThatThrownBy(() -> reader("").readUint8()).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("01").readUint16()).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("010203").readUint32()).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("01020304050607").readUint64())
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("").readVarUint()).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("0201").readVarUint()).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("0a01").readVarUintSaturating())
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("0201").readVarOctetString())
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("0201").readVarString(StandardCharsets.UTF_8))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("01").readBytes(2)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("01").readBytes(-1)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("01").skip(2)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> reader("01").slice(2)).isInstanceOf(DecodeException.class);
  }

  @Test
  void sliceIsBoundedToItsLengthAndReportsAbsoluteOffsets() throws DecodeException {
    OerReader r = reader("aa" + "0201" + "ff");
    r.readUint8();
    OerReader slice = r.slice(2);
    assertThat(r.position()).isEqualTo(3);
    assertThatThrownBy(slice::readVarUint)
        .isInstanceOf(DecodeException.class)
        .hasMessage("length 2 exceeds the 1 bytes left at offset 1");
  }

  @Test
  void requireEndRejectsLeftoverBytes() throws DecodeException {
    OerReader r = reader("0100ff");
    r.readVarUint();
    assertThatThrownBy(() -> r.requireEnd("the test value"))
        .isInstanceOf(DecodeException.class)
        .hasMessage("1 unexpected bytes after the test value at offset 2");
  }

  @Test
  void readsWithinARegionOfTheArray() throws DecodeException {
    OerReader r = new OerReader(HexFormat.of().parseHex("ffff0105ffff"), 2, 2);
    assertThat(r.readVarUint()).isEqualTo(5);
    assertThatThrownBy(r::readUint8).isInstanceOf(DecodeException.class);
  }
}
