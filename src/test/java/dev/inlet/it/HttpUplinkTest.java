package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.stream.sender.LinkException;
import dev.inlet.uplink.HttpUplink;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpUplink} against a real ILP-over-HTTP endpoint (RFC 0035): the {@code POST /ilp}
 * listener of a running Inlet, as a parent would serve it.
 */
class HttpUplinkTest extends InletPerClass {
  private static final Duration connectTimeout = Duration.ofSeconds(2);

  @Test
  void anUnfulfillablePrepareComesBackAsTheEndpointsReject() throws Exception {
    HttpUplink uplink = uplink(URI.create(inlet.ilpUrl()), TestInlet.connectorToken);
    IlpPacket answer = uplink.send(prepare("test.inlet.nobody.x")).get(10, TimeUnit.SECONDS);
    assertThat(answer).isInstanceOf(IlpReject.class);
    assertThat(((IlpReject) answer).code().code()).isIn("F06", "F99");
  }

  @Test
  void aWrongTokenIsRefusedAndNotDelivered() {
    HttpUplink uplink = uplink(URI.create(inlet.ilpUrl()), "not-the-connector-token-0123456789");
    assertThatThrownBy(() -> uplink.send(prepare("test.inlet.nobody.x")).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("401")
        .matches(e -> !((LinkException) e).maybeDelivered());
  }

  @Test
  void aRefusedConnectionIsNotDelivered() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    HttpUplink uplink = uplink(URI.create("http://127.0.0.1:" + closedPort + "/ilp"), "x");
    assertThatThrownBy(() -> uplink.send(prepare("test.inlet.nobody.x")).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(LinkException.class)
        .matches(e -> !((LinkException) e).maybeDelivered());
  }

  private static HttpUplink uplink(URI endpoint, String token) {
    return new HttpUplink(
        endpoint, Optional.of(token), connectTimeout, Duration.ofSeconds(1), 16, Clock.systemUTC());
  }

  private static IlpPrepare prepare(String destination) {
    return new IlpPrepare(
        1000,
        Instant.now().plusSeconds(30),
        new byte[32],
        IlpAddress.of(destination),
        new byte[] {1, 2, 3});
  }
}
