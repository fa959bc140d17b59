package dev.inlet.web;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Whether a host Inlet is asked to reach for someone else (a merchant's webhook URL, a payout's
 * payment pointer) is on the public internet: so a caller cannot make Inlet probe its own network
 * or a cloud metadata service.
 */
public final class PublicAddresses {
  private PublicAddresses() {}

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
