package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup refuses an uplink that cannot work, saying which setting to look at. */
class UplinkStartupTest {
  @TempDir Path dataDir;

  @Test
  void failsWhenTheParentDoesNotAnswerIldcpInTime() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> settings =
        Map.of(
            "inlet.ilp-address", "",
            "inlet.uplink.url", "btp+ws://inlet:secret@127.0.0.1:" + closedPort,
            "inlet.uplink.ildcp-timeout", "2s");
    assertThatThrownBy(() -> TestInlet.start(dataDir, settings).close())
        .rootCause()
        .hasMessageContaining("No ILP address from the parent at btp+ws://127.0.0.1:" + closedPort)
        .hasMessageContaining("INLET_UPLINK_ILDCP_TIMEOUT")
        .hasMessageNotContaining("secret");
  }

  @Test
  void refusesAnUplinkUrlOfAnotherScheme() {
    assertThatThrownBy(
            () -> TestInlet.start(dataDir, Map.of("inlet.uplink.url", "ftp://host/ilp")).close())
        .rootCause()
        .hasMessageStartingWith("INLET_UPLINK_URL must start with http://, https://, btp+ws://");
  }
}
