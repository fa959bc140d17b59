package dev.inlet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Forwarded headers are read only from a trusted proxy, and from the right. */
class ClientAddressesTest {
  private final ClientAddresses proxies = new ClientAddresses(List.of("10.0.0.0/8", "192.0.2.1"));

  @Test
  void anUntrustedPeerIsTheClientWhateverItForwards() {
    assertThat(proxies.resolve(from("198.51.100.9", "X-Forwarded-For", "203.0.113.1")))
        .isEqualTo("198.51.100.9");
  }

  @Test
  void aTrustedProxysForwardedForNamesTheClient() {
    assertThat(proxies.resolve(from("10.1.2.3", "X-Forwarded-For", "203.0.113.1")))
        .isEqualTo("203.0.113.1");
  }

  @Test
  void theNearestUntrustedHopCountsNotWhatTheClientPrepended() {
    assertThat(
            proxies.resolve(
                from("10.1.2.3", "X-Forwarded-For", "1.2.3.4, 203.0.113.1, 192.0.2.1, 10.9.9.9")))
        .isEqualTo("203.0.113.1");
  }

  @Test
  void forwardedIsReadWhenXForwardedForIsAbsent() {
    assertThat(
            proxies.resolve(
                from("192.0.2.1", "Forwarded", "for=\"[2001:db8::7]:4711\";proto=https")))
        .isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(proxies.resolve(from("192.0.2.1", "Forwarded", "for=203.0.113.5:80")))
        .isEqualTo("203.0.113.5");
  }

  @Test
  void aHopThatIsNoAddressLeavesThePeer() {
    assertThat(proxies.resolve(from("10.1.2.3", "X-Forwarded-For", "unknown")))
        .isEqualTo("10.1.2.3");
  }

  @Test
  void withoutTrustedProxiesForwardedHeadersAreIgnored() {
    assertThat(
            new ClientAddresses(List.of())
                .resolve(from("10.1.2.3", "X-Forwarded-For", "203.0.113.1")))
        .isEqualTo("10.1.2.3");
  }

  @Test
  void aTrustedProxyThatIsNoAddressIsRefusedAtStart() {
    assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("proxy.example");
    assertThatThrownBy(() -> new ClientAddresses(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static MockServerHttpRequest from(String peer, String header, String value) {
    return MockServerHttpRequest.get("/alice")
        .remoteAddress(new InetSocketAddress(peer, 40000))
        .header(header, value)
        .build();
  }
}
