package dev.inlet.codec.ilp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.codec.oer.DecodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IlpAddressTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "g.a",
        "private.x",
        "example.inlet.alice",
        "peer.config",
        "self.x",
        "test.a",
        "test1.b",
        "test2.c",
        "test3.d",
        "local.e",
        "g.us-fed.ach.0.acmebank.~ipr.cdfa5e16-e759.2",
        "g.A_b~C-9"
      })
  void acceptsAddressesMatchingRfc0015(String value) throws DecodeException {
    assertThat(IlpAddress.of(value).value()).isEqualTo(value);
    assertThat(IlpAddress.parse(value)).isEqualTo(IlpAddress.of(value));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "g",
        "g.",
        ".g.a",
        "x.a",
        "G.a",
        "test4.a",
        "testx.a",
        "g..a",
        "g.a.",
        "g.a b",
        "g.a/b",
        "g.a+b",
        "g.é",
        "g.a\u0000",
        "private",
        "examples.a"
      })
  void rejectsAddressesViolatingRfc0015(String value) {
    assertThatThrownBy(() -> IlpAddress.of(value)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IlpAddress.parse(value)).isInstanceOf(DecodeException.class);
  }

  @Test
  void acceptsExactly1023BytesAndRejects1024() {
    String max = "g." + "a".repeat(1021);
    assertThat(IlpAddress.of(max).value()).hasSize(1023);
    assertThatThrownBy(() -> IlpAddress.of(max + "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1023");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> IlpAddress.of(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void startsWithComparesWholeSegments() {
    IlpAddress alice = IlpAddress.of("g.inlet.alice");
    assertThat(IlpAddress.of("g.inlet.alice.tok").startsWith(alice)).isTrue();
    assertThat(alice.startsWith(alice)).isTrue();
    assertThat(IlpAddress.of("g.inlet.alicex").startsWith(alice)).isFalse();
    assertThat(IlpAddress.of("g.inlet").startsWith(alice)).isFalse();
  }

  @Test
  void withAppendsOneValidatedSegment() {
    assertThat(IlpAddress.of("g.inlet").with("tok~1").value()).isEqualTo("g.inlet.tok~1");
    assertThatThrownBy(() -> IlpAddress.of("g.inlet").with("a.b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IlpAddress.of("g.inlet").with(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IlpAddress.of("g.inlet").with("a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IlpAddress.of("g." + "a".repeat(1019)).with("bb"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
