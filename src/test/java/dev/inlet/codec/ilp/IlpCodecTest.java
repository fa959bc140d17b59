package dev.inlet.codec.ilp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.codec.oer.DecodeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IlpCodecTest {
  private static final HexFormat hexFormat = HexFormat.of();
  private static final byte[] condition = filled(32, 0xab);
  private static final IlpPrepare samplePrepare =
      new IlpPrepare(
          107,
          Instant.parse("2026-01-02T03:04:05.678Z"),
          condition,
          IlpAddress.of("example.inlet.alice.tok"),
          "hello".getBytes(StandardCharsets.US_ASCII));

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  /** A Prepare with the 17 expiry bytes replaced by {@code expiry}. */
  private static byte[] prepareWithExpiry(String expiry) {
    byte[] bytes = IlpCodec.encode(samplePrepare);
    System.arraycopy(expiry.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 2 + 8, 17);
    return bytes;
  }

  @Test
  void roundTripsEachPacketType() throws DecodeException {
    IlpFulfill fulfill = new IlpFulfill(filled(32, 0xcd), new byte[0]);
    IlpReject reject =
        new IlpReject(
            IlpErrorCode.T04_INSUFFICIENT_LIQUIDITY,
            Optional.of(IlpAddress.of("g.connector")),
            "pas de liquidité ✓",
            filled(IlpPacket.maxDataBytes, 7));
    for (IlpPacket packet : new IlpPacket[] {samplePrepare, fulfill, reject}) {
      assertThat(IlpCodec.decode(IlpCodec.encode(packet))).isEqualTo(packet);
    }
  }

  @Test
  void theLargestPrepareIsExactlyMaxPrepareBytes() throws DecodeException {
    String segment = "a".repeat(IlpAddress.maxBytes - "example.".length());
    IlpPrepare largest =
        new IlpPrepare(
            -1L,
            Instant.parse("2026-01-02T03:04:05.678Z"),
            condition,
            IlpAddress.of("example." + segment),
            filled(IlpPacket.maxDataBytes, 1));
    byte[] bytes = IlpCodec.encode(largest);
    assertThat(bytes).hasSize(IlpCodec.maxPrepareBytes);
    assertThat(IlpCodec.decodePrepare(bytes)).isEqualTo(largest);
  }

  @Test
  void decodePrepareReturnsThePrepare() throws DecodeException {
    assertThat(IlpCodec.decodePrepare(IlpCodec.encode(samplePrepare))).isEqualTo(samplePrepare);
  }

  @Test
  void decodePrepareRejectsOtherPacketTypes() {
    byte[] fulfill = IlpCodec.encode(new IlpFulfill(filled(32, 1), new byte[0]));
    assertThatThrownBy(() -> IlpCodec.decodePrepare(fulfill))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("expected an ILP Prepare");
  }

  @Test
  void emptyTriggeredByDecodesAsEmptyOptional() throws DecodeException {
    IlpReject reject =
        (IlpReject) IlpCodec.decode(hexFormat.parseHex("0e06" + "463939" + "00" + "00" + "00"));
    assertThat(reject.triggeredBy()).isEmpty();
    assertThat(reject.message()).isEmpty();
    assertThat(hexFormat.formatHex(IlpCodec.encode(reject))).isEqualTo("0e06463939000000");
  }

  @Test
  void acceptsAnyThreeAsciiCharactersAsErrorCode() throws DecodeException {
    IlpReject reject =
        (IlpReject) IlpCodec.decode(hexFormat.parseHex("0e06" + "5a2d21" + "000000"));
    assertThat(reject.code().code()).isEqualTo("Z-!");
  }

  @Test
  void rejectsNonAsciiErrorCode() {
    assertThatThrownBy(() -> IlpCodec.decode(hexFormat.parseHex("0e06" + "46c339" + "000000")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("non-ASCII")
        .hasMessageContaining("offset 3");
  }

  @Test
  void rejectsTruncatedPacketsAtEveryLength() {
    byte[] full = IlpCodec.encode(samplePrepare);
    for (int length = 0; length < full.length; length++) {
      byte[] truncated = Arrays.copyOf(full, length);
      assertThatThrownBy(() -> IlpCodec.decode(truncated))
          .as("truncated to %d bytes", length)
          .isInstanceOf(DecodeException.class);
    }
  }

  @Test
  void rejectsTruncatedContentsInsideAConsistentEnvelope() {
    byte[] full = IlpCodec.encode(samplePrepare);
    for (int contents = 0; contents < full.length - 2; contents++) {
      byte[] cut = Arrays.copyOf(full, 2 + contents);
      cut[1] = (byte) contents;
      assertThatThrownBy(() -> IlpCodec.decode(cut))
          .as("contents cut to %d bytes", contents)
          .isInstanceOf(DecodeException.class);
    }
  }

  @Test
  void rejectsJunkAfterTheEnvelope() {
    byte[] full = IlpCodec.encode(samplePrepare);
    byte[] withJunk = Arrays.copyOf(full, full.length + 1);
    assertThatThrownBy(() -> IlpCodec.decode(withJunk))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("after the ILP packet envelope");
  }

  @Test
  void rejectsJunkAfterTheLastFieldInsideTheEnvelope() {
    byte[] fulfill = hexFormat.parseHex("0d22" + "cd".repeat(32) + "00" + "00");
    assertThatThrownBy(() -> IlpCodec.decode(fulfill))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("after the ILP Fulfill fields");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 11, 15, 255})
  void rejectsUnknownPacketTypes(int type) {
    byte[] bytes = hexFormat.parseHex("0000");
    bytes[0] = (byte) type;
    assertThatThrownBy(() -> IlpCodec.decode(bytes))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("unknown ILP packet type");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0d8105", "0d80", "0d820022", "0d89010000000000000000", "0dff"})
  void rejectsBadEnvelopeLengthPrefixes(String hex) {
    byte[] bytes = hexFormat.parseHex(hex + "00".repeat(40));
    assertThatThrownBy(() -> IlpCodec.decode(bytes)).isInstanceOf(DecodeException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "20261302030405678", // month 13
        "20260002030405678", // month 0
        "20260132030405678", // day 32
        "20260100030405678", // day 0
        "20250229030405678", // 29 February in a common year
        "21000229030405678", // 2100 is not a leap year
        "20260431030405678", // 31 April
        "20260102240000000", // midnight must be 000000 of the next day
        "20260102036005678", // minute 60
        "20161231235960852", // unsmeared leap second
        "2026010203040567Z",
        "2026-01-02T03:04:",
        "20260102 30405678",
        "+0260102030405678",
        "\u00b20260102030405678" // a non-ASCII byte
      })
  void rejectsInvalidExpiryTimestamps(String expiry) {
    assertThatThrownBy(() -> IlpCodec.decode(prepareWithExpiry(expiry)))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("expiresAt");
  }

  @Test
  void acceptsValidEdgeTimestamps() throws DecodeException {
    assertThat(IlpCodec.decodePrepare(prepareWithExpiry("20240229235959999")).expiresAt())
        .isEqualTo(Instant.parse("2024-02-29T23:59:59.999Z"));
    assertThat(IlpCodec.decodePrepare(prepareWithExpiry("20000229000000000")).expiresAt())
        .isEqualTo(Instant.parse("2000-02-29T00:00:00Z"));
    assertThat(IlpCodec.decodePrepare(prepareWithExpiry("99991224161432279")).expiresAt())
        .isEqualTo(Instant.parse("9999-12-24T16:14:32.279Z"));
    assertThat(IlpCodec.decodePrepare(prepareWithExpiry("00000101000000000")).expiresAt())
        .isEqualTo(Instant.parse("0000-01-01T00:00:00Z"));
  }

  @Test
  void encodingTruncatesExpiryToWholeMilliseconds() {
    IlpPrepare p =
        new IlpPrepare(
            1,
            Instant.parse("2017-12-24T16:14:32.279912Z"),
            condition,
            IlpAddress.of("g.a"),
            new byte[0]);
    assertThat(p.expiresAt()).isEqualTo(Instant.parse("2017-12-24T16:14:32.279Z"));
    String ascii = new String(IlpCodec.encode(p), 10, 17, StandardCharsets.US_ASCII);
    assertThat(ascii).isEqualTo("20171224161432279");
  }

  @Test
  void rejectsExpiryOutsideTheFourDigitYearRange() {
    assertThatThrownBy(
            () ->
                new IlpPrepare(
                    1,
                    Instant.parse("+10000-01-01T00:00:00Z"),
                    condition,
                    IlpAddress.of("g.a"),
                    new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "g", "x.a", "g..a", "g.a b", "g.\u00e9"})
  void rejectsInvalidDestinationAddresses(String destination) {
    byte[] address = destination.getBytes(StandardCharsets.ISO_8859_1);
    String hex =
        "0c"
            + hexFormat.toHexDigits((byte) (8 + 17 + 32 + 1 + address.length + 1))
            + "0000000000000001"
            + hexFormat.formatHex("20260102030405678".getBytes(StandardCharsets.US_ASCII))
            + "ab".repeat(32)
            + hexFormat.toHexDigits((byte) address.length)
            + hexFormat.formatHex(address)
            + "00";
    assertThatThrownBy(() -> IlpCodec.decode(hexFormat.parseHex(hex)))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("ILP address")
        .hasMessageContaining("offset 59");
  }

  @Test
  void rejectsInvalidTriggeredByAddress() {
    assertThatThrownBy(
            () -> IlpCodec.decode(hexFormat.parseHex("0e07" + "463939" + "0178" + "0000")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("ILP address");
  }

  @Test
  void rejectsDataLongerThanTheLimit() {
    byte[] ok = IlpCodec.encode(new IlpFulfill(condition, new byte[IlpPacket.maxDataBytes]));
    // Grow the data by one byte: contents length and data length both gain one.
    byte[] tooLong = Arrays.copyOf(ok, ok.length + 1);
    assertThat(hexFormat.formatHex(ok, 0, 4)).isEqualTo("0d828022");
    tooLong[3] = 0x23;
    assertThat(hexFormat.formatHex(ok, 36, 39)).isEqualTo("827fff");
    tooLong[37] = (byte) 0x80;
    tooLong[38] = 0x00;
    assertThatThrownBy(() -> IlpCodec.decode(tooLong))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("over the 32767 byte limit");
  }

  @Test
  void recordsRejectWrongSizedHashesAndOversizedData() {
    byte[] empty = new byte[0];
    IlpAddress dest = IlpAddress.of("g.a");
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> new IlpPrepare(1, now, new byte[31], dest, empty))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IlpFulfill(new byte[33], empty))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IlpFulfill(condition, new byte[IlpPacket.maxDataBytes + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recordsCompareByteArraysByContent() {
    IlpFulfill a = new IlpFulfill(filled(32, 1), new byte[] {1, 2});
    IlpFulfill b = new IlpFulfill(filled(32, 1), new byte[] {1, 2});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new IlpFulfill(filled(32, 1), new byte[] {1, 3}));
    assertThat(a.toString()).contains("0101", "0102");
  }
}
