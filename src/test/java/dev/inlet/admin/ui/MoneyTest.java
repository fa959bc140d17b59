package dev.inlet.admin.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {
  @Test
  void putsThePointScaleDigitsFromTheRight() {
    assertThat(Money.format("12345678901", 9, "USD")).isEqualTo("12.345678901 USD");
    assertThat(Money.format("5", 3, "EUR")).isEqualTo("0.005 EUR");
    assertThat(Money.format("0", 9, "USD")).isEqualTo("0.000000000 USD");
    assertThat(Money.format("1000", 0, "XRP")).isEqualTo("1000 XRP");
    assertThat(Money.format("-250", 2, null)).isEqualTo("-2.50");
  }

  @Test
  void keepsEveryDigitOfTheLargestAmountsWhereADoubleWouldNot() {
    assertThat(Money.format(-1L, 9, "USD")).isEqualTo("18446744073.709551615 USD");
    // Sums of uint64 values (balances per asset) exceed 64 bits.
    assertThat(Money.format("36893488147419103230", 9, "USD"))
        .isEqualTo("36893488147.419103230 USD");
    assertThat(Money.limit("18446744073709551615", 9, "USD")).isEqualTo("no limit");
    assertThat(Money.limit("18446744073709551614", 9, "USD"))
        .isEqualTo("18446744073.709551614 USD");
  }

  @Test
  void refusesWhatIsNotADecimalInteger() {
    assertThatThrownBy(() -> Money.decimal("1.5", 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.decimal("", 2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Money.format((String) null, 2, "USD")).isEqualTo("–");
  }
}
