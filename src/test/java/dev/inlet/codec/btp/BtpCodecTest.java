package dev.inlet.codec.btp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Vectors;
import dev.inlet.codec.oer.DecodeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * BTP 2.0 packets (RFC 0023) against btp-packets.json, made with the JS reference btp-packet: each
 * vector decodes to its fields and its fields encode to its bytes; malformed bytes are {@link
 * DecodeException}s, never another exception.
 */
class BtpCodecTest {
  private static final HexFormat hex = HexFormat.of();

  static Stream<Arguments> vectors() {
    return Vectors.entries("btp-packets.json").stream()
        .map(v -> Arguments.of(v.get("name").asString(), v));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesToTheListedFields(String name, JsonNode vector) throws DecodeException {
    BtpPacket decoded = BtpCodec.decode(Vectors.hex(vector.get("hex")));
    assertThat(decoded).isEqualTo(fromFields(vector));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodesTheListedFieldsToTheListedBytes(String name, JsonNode vector) {
    assertThat(hex.formatHex(BtpCodec.encode(fromFields(vector))))
        .isEqualTo(vector.get("hex").asString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void everyTruncationIsADecodeException(String name, JsonNode vector) {
    byte[] bytes = Vectors.hex(vector.get("hex"));
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThatThrownBy(() -> BtpCodec.decode(cut)).isInstanceOf(DecodeException.class);
    }
  }

  @Test
  void rejectsATrailingByteAfterThePacket() {
    byte[] bytes = hex.parseHex("0100000002020100" + "00");
    assertThatThrownBy(() -> BtpCodec.decode(bytes))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("unexpected bytes after the BTP packet");
  }

  @Test
  void rejectsBytesAfterTheLastFieldInsideTheContents() {
    assertThatThrownBy(() -> BtpCodec.decode(hex.parseHex("010000000203010000")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("fields");
  }

  @Test
  void rejectsBtpVersionOnePrepareType() {
    assertThatThrownBy(() -> BtpCodec.decode(hex.parseHex("0300000002020100")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("unknown BTP packet type 3");
  }

  @Test
  void rejectsAnEntryCountLargerThanTheBytesCanHold() {
    assertThatThrownBy(() -> BtpCodec.decode(hex.parseHex("01000000020201ff")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("cannot fit");
  }

  @Test
  void rejectsANonCanonicalEntryCount() {
    assertThatThrownBy(() -> BtpCodec.decode(hex.parseHex("0100000002030200" + "00")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("leading zero");
  }

  @Test
  void rejectsAnEmptyOrNonAsciiProtocolName() {
    assertThatThrownBy(() -> BtpCodec.decode(hex.parseHex("01000000020501010000" + "00")))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> BtpCodec.decode(hex.parseHex("0100000002060101" + "01e9" + "0000")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("ASCII");
  }

  @Test
  void rejectsAnErrorWhoseTimeIsNotGeneralizedTime() {
    BtpError error =
        new BtpError(
            3, "F00", "E", Instant.parse("2026-01-02T03:04:05.678Z"), new byte[0], List.of());
    byte[] bytes = BtpCodec.encode(error);
    int month = indexOf(bytes, "202601") + 4;
    bytes[month] = '1';
    bytes[month + 1] = '3';
    assertThatThrownBy(() -> BtpCodec.decode(bytes))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("GeneralizedTime");
  }

  @Test
  void readsATimeWithoutMilliseconds() throws DecodeException {
    // 02 | id 1 | contents: F00, name "E", "20260102030405Z", empty data, no entries
    String time = hex.formatHex("20260102030405Z".getBytes());
    byte[] bytes = hex.parseHex("020000000118" + "463030" + "0145" + "0f" + time + "00" + "0100");
    BtpError error = (BtpError) BtpCodec.decode(bytes);
    assertThat(error.triggeredAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
  }

  @Test
  void requestIdsAreUint32() {
    assertThatThrownBy(() -> new BtpMessage(BtpPacket.maxRequestId + 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BtpResponse(-1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomlyDamagedPacketsDecodeOrFailWithADecodeExceptionOnly() {
    Random random = new Random(23);
    List<byte[]> samples = new ArrayList<>();
    vectors().forEach(a -> samples.add(Vectors.hex(((JsonNode) a.get()[1]).get("hex"))));
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = samples.get(random.nextInt(samples.size())).clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      try {
        BtpPacket packet = BtpCodec.decode(bytes);
        assertThat(BtpCodec.encode(packet)).isEqualTo(bytes);
      } catch (DecodeException expected) {
        // the only failure allowed
      }
    }
  }

  private static int indexOf(byte[] bytes, String ascii) {
    return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(ascii);
  }

  private static BtpPacket fromFields(JsonNode vector) {
    JsonNode f = vector.get("fields");
    long requestId = f.get("requestId").asLong();
    List<ProtocolData> entries = new ArrayList<>();
    for (JsonNode p : f.get("protocolData")) {
      entries.add(
          new ProtocolData(
              p.get("protocolName").asString(),
              p.get("contentType").asInt(),
              Vectors.hex(p.get("data"))));
    }
    return switch (vector.get("type").asInt()) {
      case BtpMessage.typeCode -> new BtpMessage(requestId, entries);
      case BtpResponse.typeCode -> new BtpResponse(requestId, entries);
      case BtpTransfer.typeCode ->
          new BtpTransfer(requestId, Long.parseUnsignedLong(f.get("amount").asString()), entries);
      default ->
          new BtpError(
              requestId,
              f.get("code").asString(),
              f.get("name").asString(),
              Instant.parse(f.get("triggeredAt").asString()),
              Vectors.hex(f.get("data")),
              entries);
    };
  }
}
