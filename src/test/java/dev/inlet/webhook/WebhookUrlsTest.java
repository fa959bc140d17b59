package dev.inlet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.web.PublicAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which webhook URLs parse and which addresses count as public. */
class WebhookUrlsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.255.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "0.1.2.3",
        "100.64.0.1",
        "100.127.255.255",
        "224.0.0.1",
        "255.255.255.255",
        "240.0.0.1",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::10.0.0.1",
        "2002:a00:1::",
        "64:ff9b::a9fe:a9fe"
      })
  void nonPublicAddressesAreRefused(String literal) throws UnknownHostException {
    assertThat(PublicAddresses.isPublic(InetAddress.getByName(literal))).as(literal).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.1.1.1",
        "8.8.8.8",
        "100.63.255.255",
        "100.128.0.1",
        "172.32.0.1",
        "192.169.0.1",
        "2606:4700:4700::1111",
        "2001:db8::1",
        "2002:808:808::",
        "64:ff9b::808:808"
      })
  void publicAddressesAreAccepted(String literal) throws UnknownHostException {
    assertThat(PublicAddresses.isPublic(InetAddress.getByName(literal))).as(literal).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://example.com/hook",
        "example.com/hook",
        "/hook",
        "http:///hook",
        "mailto:a@example.com",
        "https://user:pw@example.com/hook",
        "http://example.com/hook#frag",
        "http://exa mple.com/",
        ""
      })
  void urlsThatAreNotAbsoluteHttpAreRefused(String url) {
    assertThat(WebhookUrls.parse(url)).as(url).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://example.com/hook",
        "HTTP://example.com:8080/a?b=c",
        "http://[::1]/x",
        "http://127.0.0.1/hook"
      })
  void absoluteHttpUrlsParse(String url) {
    assertThat(WebhookUrls.parse(url)).as(url).isPresent();
  }

  @org.junit.jupiter.api.Test
  void longUrlsAreRefused() {
    String base = "https://example.com/";
    assertThat(WebhookUrls.parse(base + "a".repeat(WebhookUrls.maxLength - base.length())))
        .isPresent();
    assertThat(WebhookUrls.parse(base + "a".repeat(WebhookUrls.maxLength - base.length() + 1)))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/hook", "http://10.0.0.1/hook", "http://[::1]/hook",
        "http://169.254.169.254/", "http://localhost/hook", "http://[fd00::1]:8080/"
      })
  void privateHostsDoNotResolvePublicly(String url) throws UnknownHostException {
    assertThat(PublicAddresses.resolvesPublicly(URI.create(url))).as(url).isFalse();
  }
}
