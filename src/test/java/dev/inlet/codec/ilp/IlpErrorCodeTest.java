package dev.inlet.codec.ilp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IlpErrorCodeTest {

  @Test
  void constantsCarryTheRfc0027Codes() {
    assertThat(IlpErrorCode.F00_BAD_REQUEST.code()).isEqualTo("F00");
    assertThat(IlpErrorCode.F06_UNEXPECTED_PAYMENT.code()).isEqualTo("F06");
    assertThat(IlpErrorCode.F08_AMOUNT_TOO_LARGE.code()).isEqualTo("F08");
    assertThat(IlpErrorCode.F99_APPLICATION_ERROR.code()).isEqualTo("F99");
    assertThat(IlpErrorCode.T00_INTERNAL_ERROR.code()).isEqualTo("T00");
    assertThat(IlpErrorCode.T05_RATE_LIMITED.code()).isEqualTo("T05");
    assertThat(IlpErrorCode.R00_TRANSFER_TIMED_OUT.code()).isEqualTo("R00");
    assertThat(IlpErrorCode.R02_INSUFFICIENT_TIMEOUT.code()).isEqualTo("R02");
    assertThat(IlpErrorCode.R99_APPLICATION_ERROR.code()).isEqualTo("R99");
  }

  @Test
  void equalsByCode() {
    assertThat(new IlpErrorCode("F99")).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "F0", "F000", "Fé0"})
  void rejectsCodesThatAreNotThreeAsciiCharacters(String code) {
    assertThatThrownBy(() -> new IlpErrorCode(code)).isInstanceOf(IllegalArgumentException.class);
  }
}
