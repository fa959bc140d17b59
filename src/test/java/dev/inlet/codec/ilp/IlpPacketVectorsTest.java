package dev.inlet.codec.ilp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Vectors;
import dev.inlet.codec.oer.DecodeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every entry of the shared ilp-packets.json, decoded and encoded both ways. */
class IlpPacketVectorsTest {
  private static final HexFormat hexFormat = HexFormat.of();

  static Stream<Arguments> vectors() {
    return Vectors.entries("ilp-packets.json").stream()
        .map(v -> Arguments.of(v.get("name").asString(), v));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesToTheListedFields(String name, JsonNode vector) throws DecodeException {
    IlpPacket decoded = IlpCodec.decode(hexFormat.parseHex(vector.get("hex").asString()));
    assertThat(decoded.type().code()).isEqualTo(vector.get("type").asInt());
    assertPacketFields(decoded, vector.get("fields"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodesTheListedFieldsToTheListedBytes(String name, JsonNode vector) {
    IlpPacket packet = fromFields(vector.get("type").asInt(), vector.get("fields"));
    assertThat(hexFormat.formatHex(IlpCodec.encode(packet)))
        .isEqualTo(vector.get("hex").asString());
  }

  private static void assertPacketFields(IlpPacket decoded, JsonNode f) {
    if (decoded instanceof IlpPrepare p) {
      assertThat(Long.toUnsignedString(p.amount())).isEqualTo(f.get("amount").asString());
      assertThat(p.expiresAt()).isEqualTo(timestamp(f.get("expiresAt").asString()));
      assertThat(hexFormat.formatHex(p.executionCondition()))
          .isEqualTo(f.get("executionCondition").asString());
      assertThat(p.destination().value()).isEqualTo(f.get("destination").asString());
    } else if (decoded instanceof IlpFulfill ff) {
      assertThat(hexFormat.formatHex(ff.fulfillment())).isEqualTo(f.get("fulfillment").asString());
    } else {
      IlpReject r = (IlpReject) decoded;
      assertThat(r.code().code()).isEqualTo(f.get("code").asString());
      assertThat(r.triggeredBy().map(IlpAddress::value).orElse(""))
          .isEqualTo(f.get("triggeredBy").asString());
      assertThat(r.message()).isEqualTo(f.get("message").asString());
    }
    assertThat(hexFormat.formatHex(decoded.data())).isEqualTo(f.get("data").asString());
  }

  private static IlpPacket fromFields(int type, JsonNode f) {
    byte[] data = hexFormat.parseHex(f.get("data").asString());
    switch (type) {
      case 12:
        return new IlpPrepare(
            Long.parseUnsignedLong(f.get("amount").asString()),
            timestamp(f.get("expiresAt").asString()),
            hexFormat.parseHex(f.get("executionCondition").asString()),
            IlpAddress.of(f.get("destination").asString()),
            data);
      case 13:
        return new IlpFulfill(hexFormat.parseHex(f.get("fulfillment").asString()), data);
      default:
        String triggeredBy = f.get("triggeredBy").asString();
        return new IlpReject(
            new IlpErrorCode(f.get("code").asString()),
            triggeredBy.isEmpty() ? Optional.empty() : Optional.of(IlpAddress.of(triggeredBy)),
            f.get("message").asString(),
            data);
    }
  }

  /** Independent of the codec's own parser: java.time reads the 17-digit UTC form. */
  private static Instant timestamp(String digits) {
    return LocalDateTime.parse(digits, DateTimeFormatter.ofPattern("uuuuMMddHHmmssSSS"))
        .toInstant(ZoneOffset.UTC);
  }
}
