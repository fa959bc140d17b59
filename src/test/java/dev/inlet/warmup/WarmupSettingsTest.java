package dev.inlet.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarmupSettingsTest {
  @Test
  void acceptsZeroAsOffAndUpToAMinute() {
    assertThat(new WarmupSettings(Duration.ZERO).warmup()).isZero();
    assertThat(new WarmupSettings(null).warmup()).isZero();
    assertThat(new WarmupSettings(Duration.ofMinutes(1)).warmup()).hasSeconds(60);
  }

  @Test
  void refusesANegativeWarmupOrOneLongerThanAMinuteNamingTheVariable() {
    assertThatThrownBy(() -> new WarmupSettings(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INLET_WARMUP");
    assertThatThrownBy(() -> new WarmupSettings(Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INLET_WARMUP");
  }
}
