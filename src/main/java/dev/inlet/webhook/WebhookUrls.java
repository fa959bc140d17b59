package dev.inlet.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs a webhook may post to: absolute {@code http} or {@code https} with a host, at most
 * {@value #maxLength} characters, and — unless private addresses are allowed — a host that neither
 * is nor resolves to an address outside the public internet (so a merchant cannot make Inlet probe
 * its own network or a cloud metadata service). Checked at creation and again before every attempt,
 * since DNS answers change.
 */
public final class WebhookUrls {
  /** The longest URL accepted, characters. */
  public static final int maxLength = 2_048;

  private WebhookUrls() {}

  /**
   * {@code url} parsed when it is an absolute http(s) URL with a host and no user info, at most
   * {@link #maxLength} characters; empty otherwise.
   */
  public static Optional<URI> parse(String url) {
    if (url == null || url.isEmpty() || url.length() > maxLength) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.isOpaque()
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawFragment() != null) {
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether every address {@code uri}'s host resolves to is public. Blocking (DNS).
   *
   * @throws UnknownHostException when the host does not resolve
   */
  public static boolean resolvesPublicly(URI uri) throws UnknownHostException {
    // getAllByName takes IPv6 literals in their URL brackets and does not query DNS for literals.
    for (InetAddress address : InetAddress.getAllByName(uri.getHost().toLowerCase(Locale.ROOT))) {
      if (!isPublic(address)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code address} is on the public internet: not unspecified, loopback, private (RFC
   * 1918, fc00::/7, fec0::/10), link-local (169.254/16, fe80::/10), multicast, CGNAT (100.64/10),
   * "this network" (0/8), reserved (240/4, broadcast); an IPv6 address that embeds an IPv4 one
   * (IPv4-compatible, 6to4, NAT64) is judged by that address.
   */
  public static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      boolean cgnat = first == 100 && (second & 0xc0) == 64;
      return first != 0 && first < 240 && !cgnat;
    }
    if (address instanceof Inet6Address v6) {
      if ((b[0] & 0xfe) == 0xfc) {
        return false; // unique local, fc00::/7
      }
      if (v6.isIPv4CompatibleAddress()) {
        return isPublic(v4(b, 12));
      }
      if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
        return isPublic(v4(b, 2)); // 6to4, 2002::/16
      }
      if (isNat64(b)) {
        return isPublic(v4(b, 12)); // 64:ff9b::/96
      }
    }
    return true;
  }

  private static boolean isNat64(byte[] b) {
    if (b[0] != 0 || (b[1] & 0xff) != 0x64 || (b[2] & 0xff) != 0xff || (b[3] & 0xff) != 0x9b) {
      return false;
    }
    for (int i = 4; i < 12; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress v4(byte[] b, int at) {
    try {
      return InetAddress.getByAddress(new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are an IPv4 address", e);
    }
  }
}
