package dev.inlet.codec.ilp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.codec.oer.DecodeException;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * ILDCP (RFC 0031) against the bytes of the JS reference, {@code ilp-protocol-ildcp} 2.2.3 ({@code
 * serializeIldcpRequest}, {@code serializeIldcpResponse}).
 */
class IldcpTest {
  private static final HexFormat hex = HexFormat.of();
  private static final String zeros = "00".repeat(32);

  @Test
  void requestIsTheReferencesPrepareToPeerConfig() {
    IlpPrepare request =
        Ildcp.request(Instant.parse("2026-01-02T03:04:05.678Z").minus(Ildcp.expiry));
    assertThat(hex.formatHex(IlpCodec.encode(request)))
        .isEqualTo(
            "0c460000000000000000323032363031303230333034303536373866687aadf862bd776c8fc18b8e9f8e"
                + "20089714856ee233b3902a591d0d5f29250b706565722e636f6e66696700");
  }

  @Test
  void readsTheReferencesResponse() throws DecodeException {
    IlpFulfill fulfill =
        (IlpFulfill)
            IlpCodec.decode(
                hex.parseHex(
                    "0d3b" + zeros + "1a14746573742e636f6e6e6563746f722e696e6c65740903555344"));
    assertThat(Ildcp.readResponse(fulfill))
        .isEqualTo(new IldcpResponse(IlpAddress.of("test.connector.inlet"), 9, "USD"));
  }

  @Test
  void writesTheReferencesResponseWithUtf8CodeAndLargestScale() throws DecodeException {
    IldcpResponse response = new IldcpResponse(IlpAddress.of("g.x"), 255, "€");
    byte[] bytes = IlpCodec.encode(Ildcp.fulfill(response));
    assertThat(hex.formatHex(bytes)).isEqualTo("0d2a" + zeros + "0903672e78ff03e282ac");
    assertThat(Ildcp.readResponse((IlpFulfill) IlpCodec.decode(bytes))).isEqualTo(response);
  }

  @Test
  void rejectsAnotherFulfillment() {
    byte[] fulfillment = new byte[32];
    fulfillment[31] = 1;
    assertThatThrownBy(
            () -> Ildcp.readResponse(new IlpFulfill(fulfillment, hex.parseHex("03672e7809"))))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("zero");
  }

  @Test
  void rejectsAnInvalidAddressAMissingCodeAndTrailingBytes() {
    byte[] zero = new byte[32];
    assertThatThrownBy(
            () -> Ildcp.readResponse(new IlpFulfill(zero, hex.parseHex("03782e7809" + "00"))))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> Ildcp.readResponse(new IlpFulfill(zero, hex.parseHex("03672e7809"))))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(
            () -> Ildcp.readResponse(new IlpFulfill(zero, hex.parseHex("03672e780900" + "ff"))))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("unexpected bytes");
  }
}
