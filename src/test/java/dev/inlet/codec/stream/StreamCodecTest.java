package dev.inlet.codec.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.oer.DecodeException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamCodecTest {
  private static final HexFormat hexFormat = HexFormat.of();

  /**
   * version 1, Prepare, sequence 0, amount 0: the header every hand-written packet below starts
   * with.
   */
  private static final String prepareHeader = "010c" + "0100" + "0100";

  private static final StreamPacket everyFrame =
      new StreamPacket(
          IlpPacketType.FULFILL,
          7,
          -1L,
          List.of(
              new ConnectionClose(StreamErrorCode.NO_ERROR, "bye ✓"),
              new ConnectionNewAddress(IlpAddress.of("g.sender.x")),
              new ConnectionAssetDetails("XRP", 9),
              new ConnectionMaxData(1L << 40),
              new ConnectionDataBlocked(0),
              new ConnectionMaxStreamId(20),
              new ConnectionStreamIdBlocked(21),
              new StreamClose(1, StreamErrorCode.APPLICATION_ERROR, ""),
              new StreamMoney(1, 3),
              new StreamMaxMoney(1, -1L, 500),
              new StreamMoneyBlocked(3, 1000, 999),
              new StreamData(5, 10, new byte[300]),
              new StreamMaxData(5, 65536),
              new StreamDataBlocked(5, 65537),
              new StreamReceipt(1, new byte[58])));

  private static StreamPacket decodeHex(String hex) throws DecodeException {
    return StreamCodec.decode(hexFormat.parseHex(hex));
  }

  private static String twoByteVarUint(int value) {
    return "02" + hexFormat.toHexDigits((short) value);
  }

  @Test
  void roundTripsEveryFrameType() throws DecodeException {
    assertThat(StreamCodec.decode(StreamCodec.encode(everyFrame))).isEqualTo(everyFrame);
  }

  @Test
  void skipsUnknownFrameTypesByTheirLength() throws DecodeException {
    StreamPacket packet =
        decodeHex(prepareHeader + "0103" + "ff03aabbcc" + "0800" + "11040101" + "0105");
    assertThat(packet.frames()).containsExactly(new StreamMoney(1, 5));
  }

  @Test
  void ignoresPaddingAfterTheLastFrame() throws DecodeException {
    StreamPacket packet =
        decodeHex(prepareHeader + "0101" + "11040101" + "0105" + "000000000000ffff");
    assertThat(packet.frames()).containsExactly(new StreamMoney(1, 5));
  }

  @Test
  void rejectsJunkInsideAFramesLength() {
    assertThatThrownBy(() -> decodeHex(prepareHeader + "0101" + "1105" + "01010105" + "00"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("unexpected bytes after the contents of frame type 17");
  }

  @Test
  void rejectsAFrameWhoseFieldsRunPastItsLength() {
    // StreamMoney claims 3 bytes but its second var-uint needs 2 more; the next bytes are not
    // borrowed.
    assertThatThrownBy(
            () -> decodeHex(prepareHeader + "0101" + "1103" + "0101" + "01" + "05" + "0000"))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void rejectsFrameCountLargerThanTheRemainingBytesCouldHold() {
    assertThatThrownBy(() -> decodeHex(prepareHeader + "0104" + "11040101" + "0105"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("frame count 4 exceeds what the 6 bytes left could hold");
    assertThatThrownBy(() -> decodeHex(prepareHeader + "08ffffffffffffffff" + "0000"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("18446744073709551615");
  }

  @Test
  void rejectsMoreFramesThanMaxFrames() throws DecodeException {
    int limit = StreamCodec.maxFrames;
    // Unknown empty frames (type ff, length 0) are the smallest frames there are.
    String atLimit = prepareHeader + twoByteVarUint(limit) + "ff00".repeat(limit);
    assertThat(decodeHex(atLimit).frames()).isEmpty();
    String overLimit = prepareHeader + twoByteVarUint(limit + 1) + "ff00".repeat(limit + 1);
    assertThatThrownBy(() -> decodeHex(overLimit))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("exceeds " + limit);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 255})
  void rejectsVersionsOtherThan1(int version) {
    byte[] bytes = hexFormat.parseHex(prepareHeader + "0100");
    bytes[0] = (byte) version;
    assertThatThrownBy(() -> StreamCodec.decode(bytes))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("unsupported STREAM version");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 11, 15, 255})
  void rejectsIlpPacketTypesOtherThan12To14(int type) {
    byte[] bytes = hexFormat.parseHex(prepareHeader + "0100");
    bytes[1] = (byte) type;
    assertThatThrownBy(() -> StreamCodec.decode(bytes))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("ilpPacketType");
  }

  @Test
  void rejectsOversizedVarUintsOutsideTheSaturatingFields() {
    String tooBig = "09010000000000000000";
    assertThatThrownBy(() -> decodeHex("010c" + tooBig + "0100" + "0100"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("does not fit in 64 bits");
    // StreamMaxMoney.totalReceived does not saturate; only receiveMax does (RFC 0029 section
    // 5.1.4).
    assertThatThrownBy(() -> decodeHex(prepareHeader + "0101" + "120e" + "0101" + "0100" + tooBig))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> decodeHex(prepareHeader + "0101" + "110c" + "0101" + tooBig))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void saturatesOversizedReceiveMaxAndSendMax() throws DecodeException {
    String huge = "0a" + "ff".repeat(10);
    assertThat(decodeHex(prepareHeader + "0101" + "120f" + "0101" + huge + "0100").frames())
        .containsExactly(new StreamMaxMoney(1, -1L, 0));
    assertThat(decodeHex(prepareHeader + "0101" + "130f" + "0101" + huge + "0100").frames())
        .containsExactly(new StreamMoneyBlocked(1, -1L, 0));
  }

  @Test
  void rejectsNonCanonicalVarUintInAFrame() {
    assertThatThrownBy(() -> decodeHex(prepareHeader + "0101" + "1105" + "020001" + "0105"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("leading zero");
  }

  @Test
  void keepsUnknownErrorCodes() throws DecodeException {
    StreamPacket packet = decodeHex(prepareHeader + "0101" + "0102" + "ee00");
    ConnectionClose close = (ConnectionClose) packet.frames().get(0);
    assertThat(close.errorCode().code()).isEqualTo(0xee);
    assertThat(close.errorCode().name()).isEqualTo("Unknown(0xee)");
    assertThat(StreamErrorCode.FLOW_CONTROL_ERROR.name()).isEqualTo("FlowControlError");
    assertThat(hexFormat.formatHex(StreamCodec.encode(packet)))
        .isEqualTo(prepareHeader + "0101" + "0102" + "ee00");
  }

  @Test
  void readsEmptyConnectionNewAddressAsNoAddress() throws DecodeException {
    // Quilt's sender announces "no address" as an empty string.
    StreamPacket packet = decodeHex(prepareHeader + "0101" + "0201" + "00");
    assertThat(packet.frames()).containsExactly(new ConnectionNewAddress(Optional.empty()));
    assertThat(hexFormat.formatHex(StreamCodec.encode(packet)))
        .isEqualTo(prepareHeader + "0101" + "0201" + "00");
  }

  @Test
  void rejectsInvalidAddressInConnectionNewAddress() {
    assertThatThrownBy(() -> decodeHex(prepareHeader + "0101" + "0204" + "03782e61"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("ILP address");
  }

  @Test
  void rejectsTruncatedPacketsAtEveryLength() {
    byte[] full = StreamCodec.encode(everyFrame);
    for (int length = 0; length < full.length; length++) {
      byte[] truncated = Arrays.copyOf(full, length);
      assertThatThrownBy(() -> StreamCodec.decode(truncated))
          .as("truncated to %d bytes", length)
          .isInstanceOf(DecodeException.class);
    }
  }

  @Test
  void rejectsFramesWithBadLengthPrefixes() {
    assertThatThrownBy(() -> decodeHex(prepareHeader + "0101" + "14" + "8104" + "01010100"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("short form");
    assertThatThrownBy(() -> decodeHex(prepareHeader + "0101" + "14" + "20" + "01010100"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void recordsValidateTheirFields() {
    assertThatThrownBy(() -> new StreamPacket(2, IlpPacketType.PREPARE, 0, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ConnectionAssetDetails("USD", 256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StreamErrorCode(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void framesWithBytesCompareByContent() {
    assertThat(new StreamData(1, 2, new byte[] {9}))
        .isEqualTo(new StreamData(1, 2, new byte[] {9}))
        .hasSameHashCodeAs(new StreamData(1, 2, new byte[] {9}));
    assertThat(new StreamReceipt(1, new byte[] {9}))
        .isEqualTo(new StreamReceipt(1, new byte[] {9}))
        .isNotEqualTo(new StreamReceipt(1, new byte[] {8}));
  }
}
