package dev.inlet.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** INLET_UNPAID_CONNECTION_MAX_IDLE and _PRUNE_INTERVAL as {@link SettingsValidator} takes them. */
class UnpaidConnectionSettingsTest {
  @Test
  void maxIdleIsZeroForNeverOrAtLeastTenMinutes() {
    assertThatCode(() -> validate("0", "5m")).doesNotThrowAnyException();
    assertThatCode(() -> validate("10m", "5m")).doesNotThrowAnyException();
    assertThatCode(() -> validate("24h", "1s")).doesNotThrowAnyException();
    for (String refused : new String[] {"-1s", "9m", "1s"}) {
      assertThatThrownBy(() -> validate(refused, "5m"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("INLET_UNPAID_CONNECTION_MAX_IDLE");
    }
  }

  @Test
  void pruneIntervalIsAtLeastOneSecond() {
    for (String refused : new String[] {"0s", "-5m", "500ms"}) {
      assertThatThrownBy(() -> validate("24h", refused))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("INLET_UNPAID_CONNECTION_PRUNE_INTERVAL");
    }
  }

  /** Binds the settings as Spring does, with the other required ones valid, and validates them. */
  private static void validate(String maxIdle, String interval) {
    Map<String, String> values = new HashMap<>();
    values.put("inlet.ilp-address", "test.inlet");
    values.put("inlet.asset-code", "USD");
    values.put("inlet.asset-scale", "9");
    values.put("inlet.idle-timeout", "60s");
    values.put("inlet.ilp-port", "8081");
    values.put("inlet.ilp-request-timeout", "10s");
    values.put("inlet.management-port", "9090");
    values.put("inlet.admin-auth-max-failures", "10");
    values.put("inlet.admin-auth-window", "1m");
    values.put("inlet.unpaid-connection-max-idle", maxIdle);
    values.put("inlet.unpaid-connection-prune-interval", interval);
    InletSettings settings =
        new Binder(new MapConfigurationPropertySource(values))
            .bind("inlet", InletSettings.class)
            .get();
    SettingsValidator.validate(settings);
  }
}
