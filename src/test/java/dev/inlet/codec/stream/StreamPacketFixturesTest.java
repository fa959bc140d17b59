package dev.inlet.codec.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Vectors;
import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.oer.DecodeException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** All 53 StreamPacketFixtures.json entries (RFC 0029 test vectors), decoded and encoded. */
class StreamPacketFixturesTest {
  private static final String file = "StreamPacketFixtures.json";

  static Stream<Arguments> fixtures() {
    return Vectors.entries(file).stream().map(f -> Arguments.of(f.get("name").asString(), f));
  }

  @Test
  void fixtureFileHasAll53Entries() {
    assertThat(Vectors.entries(file)).hasSize(53);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void decodesToTheExpectedPacket(String name, JsonNode fixture) throws DecodeException {
    StreamPacket decoded = StreamCodec.decode(buffer(fixture));
    StreamPacket expected = expectedPacket(fixture.get("packet"));

    assertThat(decoded.version()).isEqualTo(1);
    assertThat(decoded.ilpPacketType()).isEqualTo(expected.ilpPacketType());
    assertThat(Long.toUnsignedString(decoded.sequence()))
        .isEqualTo(fixture.get("packet").get("sequence").asString());
    assertThat(Long.toUnsignedString(decoded.prepareAmount()))
        .isEqualTo(fixture.get("packet").get("amount").asString());
    assertThat(decoded.frames()).containsExactlyElementsOf(expected.frames());
  }

  /**
   * Two-way fixtures: the expected packet encodes to exactly the fixture bytes. The two {@code
   * decode_only} fixtures carry a 9-byte var-uint (2^64) in {@code receiveMax}/{@code sendMax}; RFC
   * 0029 section 5.1.4 has such values decode as MaxUInt64, which re-encodes canonically in 8
   * bytes, so for them the encoding must instead be the canonical MaxUInt64 form and decode back
   * unchanged.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void encodesTheExpectedPacketToTheFixtureBytes(String name, JsonNode fixture)
      throws DecodeException {
    StreamPacket expected = expectedPacket(fixture.get("packet"));
    byte[] encoded = StreamCodec.encode(expected);
    if (fixture.path("decode_only").asBoolean(false)) {
      assertThat(encoded).isNotEqualTo(buffer(fixture)).hasSize(buffer(fixture).length - 1);
      assertThat(StreamCodec.decode(encoded)).isEqualTo(expected);
    } else {
      assertThat(Base64.getEncoder().encodeToString(encoded))
          .isEqualTo(fixture.get("buffer").asString());
    }
  }

  private static byte[] buffer(JsonNode fixture) {
    return Base64.getDecoder().decode(fixture.get("buffer").asString());
  }

  private static StreamPacket expectedPacket(JsonNode p) {
    List<StreamFrame> frames = new ArrayList<>();
    p.get("frames").forEach(f -> frames.add(expectedFrame(f)));
    return new StreamPacket(
        IlpPacketType.fromCode(p.get("packetType").asInt()),
        u64(p, "sequence"),
        u64(p, "amount"),
        frames);
  }

  private static StreamFrame expectedFrame(JsonNode f) {
    StreamFrame frame =
        switch (f.get("name").asString()) {
          case "ConnectionClose" ->
              new ConnectionClose(
                  new StreamErrorCode(f.get("errorCode").asInt()),
                  f.get("errorMessage").asString());
          case "ConnectionNewAddress" ->
              new ConnectionNewAddress(IlpAddress.of(f.get("sourceAccount").asString()));
          case "ConnectionAssetDetails" ->
              new ConnectionAssetDetails(
                  f.get("sourceAssetCode").asString(), f.get("sourceAssetScale").asInt());
          case "ConnectionMaxData" -> new ConnectionMaxData(u64(f, "maxOffset"));
          case "ConnectionDataBlocked" -> new ConnectionDataBlocked(u64(f, "maxOffset"));
          case "ConnectionMaxStreamId" -> new ConnectionMaxStreamId(u64(f, "maxStreamId"));
          case "ConnectionStreamIdBlocked" -> new ConnectionStreamIdBlocked(u64(f, "maxStreamId"));
          case "StreamClose" ->
              new StreamClose(
                  u64(f, "streamId"),
                  new StreamErrorCode(f.get("errorCode").asInt()),
                  f.get("errorMessage").asString());
          case "StreamMoney" -> new StreamMoney(u64(f, "streamId"), u64(f, "shares"));
          case "StreamMaxMoney" ->
              new StreamMaxMoney(u64(f, "streamId"), u64(f, "receiveMax"), u64(f, "totalReceived"));
          case "StreamMoneyBlocked" ->
              new StreamMoneyBlocked(u64(f, "streamId"), u64(f, "sendMax"), u64(f, "totalSent"));
          case "StreamData" ->
              new StreamData(
                  u64(f, "streamId"),
                  u64(f, "offset"),
                  Base64.getDecoder().decode(f.get("data").asString()));
          case "StreamMaxData" -> new StreamMaxData(u64(f, "streamId"), u64(f, "maxOffset"));
          case "StreamDataBlocked" ->
              new StreamDataBlocked(u64(f, "streamId"), u64(f, "maxOffset"));
          case "StreamReceipt" ->
              new StreamReceipt(
                  u64(f, "streamId"), Base64.getDecoder().decode(f.get("receipt").asString()));
          default -> throw new IllegalArgumentException("fixture frame " + f);
        };
    assertThat(frame.type()).as("type id of %s", f.get("name")).isEqualTo(f.get("type").asInt());
    return frame;
  }

  /** Amounts in the fixtures are decimal strings because they exceed JavaScript's safe integers. */
  private static long u64(JsonNode node, String field) {
    return Long.parseUnsignedLong(node.get(field).asString());
  }
}
