package dev.inlet.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** INLET_UPLINK_URL: the forms accepted, and clear refusals that never repeat a secret. */
class UplinkUrlTest {
  @Test
  void btpUrlLosesItsCredentialsToTheAuthMessage() {
    UplinkUrl url = UplinkUrl.parse("btp+ws://inlet:s3cr%2Ft@127.0.0.1:7768");
    assertThat(url.btp()).isTrue();
    assertThat(url.endpoint()).isEqualTo(URI.create("ws://127.0.0.1:7768/"));
    assertThat(url.username()).isEqualTo("inlet");
    assertThat(url.secret()).isEqualTo("s3cr/t");
    assertThat(url.redacted()).isEqualTo("btp+ws://127.0.0.1:7768/").doesNotContain("s3cr");
  }

  @Test
  void btpsUrlKeepsItsPathAndMayOmitTheUser() {
    UplinkUrl url = UplinkUrl.parse("btp+wss://:token@connector.example/btp");
    assertThat(url.endpoint()).isEqualTo(URI.create("wss://connector.example/btp"));
    assertThat(url.username()).isEmpty();
    assertThat(url.secret()).isEqualTo("token");
  }

  @Test
  void httpUrlIsTheEndpointItself() {
    UplinkUrl url = UplinkUrl.parse("https://connector.example/ilp");
    assertThat(url.btp()).isFalse();
    assertThat(url.endpoint()).isEqualTo(URI.create("https://connector.example/ilp"));
  }

  @Test
  void refusesOtherSchemesMissingHostsAndHttpCredentials() {
    assertThatThrownBy(() -> UplinkUrl.parse("ws://host:1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("INLET_UPLINK_URL must start with http://, https://, btp+ws://");
    assertThatThrownBy(() -> UplinkUrl.parse("btp+ws:///path"))
        .hasMessage("INLET_UPLINK_URL has no host");
    assertThatThrownBy(() -> UplinkUrl.parse("http://user:hunter2@host/ilp"))
        .hasMessageContaining("INLET_UPLINK_TOKEN")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> UplinkUrl.parse("not a url"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("INLET_UPLINK_URL");
  }
}
