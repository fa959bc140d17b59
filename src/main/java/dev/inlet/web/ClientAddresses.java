package dev.inlet.web;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The client's address, for rate limits and throttles: the socket's peer, or — only when that peer
 * is a configured trusted proxy ({@code INLET_TRUSTED_PROXIES}, addresses or CIDR ranges) — the
 * nearest untrusted address in {@code X-Forwarded-For}, else in {@code Forwarded} ({@code for=},
 * RFC 7239), read from the right: a client can prepend whatever it likes, but only what the proxies
 * appended can be trusted. As a {@link WebFilter} it stores the address in the exchange's {@link
 * #attribute} once per request; {@link #of} reads it.
 */
public final class ClientAddresses implements WebFilter {
  /** The exchange attribute holding the client's address (a string). */
  public static final String attribute = ClientAddresses.class.getName() + ".client";

  /** Addresses in one forwarded header looked at, from the right: beyond, a client padded it. */
  static final int maxForwardedHops = 16;

  private final List<IpSubnetFilterRule> trusted;

  /**
   * @param trustedProxies addresses ({@code 10.0.0.7}) or CIDR ranges ({@code 10.0.0.0/8}, {@code
   *     fd00::/8}) of the proxies in front; empty: forwarded headers are never read
   * @throws IllegalArgumentException on an entry that is neither
   */
  public ClientAddresses(List<String> trustedProxies) {
    List<IpSubnetFilterRule> rules = new ArrayList<>();
    for (String entry : trustedProxies) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int slash = e.indexOf('/');
      try {
        String ip = slash < 0 ? e : e.substring(0, slash);
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(ip);
        if (address == null) {
          throw new IllegalArgumentException("not an IP address");
        }
        int bits = address.getAddress().length * 8;
        int prefix = slash < 0 ? bits : Integer.parseInt(e.substring(slash + 1));
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException("prefix length out of range");
        }
        rules.add(new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            "trusted proxy '" + e + "' is not an IP address or CIDR range", ex);
      }
    }
    this.trusted = List.copyOf(rules);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    exchange.getAttributes().put(attribute, resolve(exchange.getRequest()));
    return chain.filter(exchange);
  }

  /**
   * The client's address of a request this filter has seen, else its socket peer's, else {@code
   * unknown}.
   */
  public static String of(ServerWebExchange exchange) {
    Object a = exchange.getAttribute(attribute);
    return a instanceof String s ? s : peer(exchange.getRequest().getRemoteAddress());
  }

  /** The client's address, as the class says. */
  String resolve(ServerHttpRequest request) {
    return resolve(request.getRemoteAddress(), request.getHeaders()::getOrEmpty);
  }

  /**
   * The client's address, as the class says, for a request not (yet) in WebFlux: its socket peer
   * and its header fields' values by name.
   */
  public String resolve(InetSocketAddress remote, Function<String, List<String>> header) {
    String peer = peer(remote);
    if (trusted.isEmpty() || remote == null || !isTrusted(remote.getAddress())) {
      return peer;
    }
    List<String> chain = forwardedFor(header);
    for (int i = chain.size() - 1; i >= 0 && i >= chain.size() - maxForwardedHops; i--) {
      InetAddress hop = parse(chain.get(i));
      if (hop == null) {
        // Not an address (obfuscated, "unknown"): nothing left of it can be trusted.
        return peer;
      }
      if (!isTrusted(hop) || i == 0) {
        return hop.getHostAddress();
      }
    }
    return peer;
  }

  private boolean isTrusted(InetAddress address) {
    InetSocketAddress socket = new InetSocketAddress(address, 0);
    for (IpSubnetFilterRule rule : trusted) {
      if (rule.matches(socket)) {
        return true;
      }
    }
    return false;
  }

  private static String peer(InetSocketAddress remote) {
    return remote == null || remote.getAddress() == null
        ? "unknown"
        : remote.getAddress().getHostAddress();
  }

  /** X-Forwarded-For's addresses in order, else Forwarded's {@code for=} values, else none. */
  private static List<String> forwardedFor(Function<String, List<String>> header) {
    List<String> out = new ArrayList<>();
    for (String value : header.apply("X-Forwarded-For")) {
      for (String part : value.split(",")) {
        out.add(part.trim());
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    for (String value : header.apply("Forwarded")) {
      for (String element : value.split(",")) {
        for (String pair : element.split(";")) {
          String p = pair.trim();
          if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
            out.add(p.substring(4).trim());
          }
        }
      }
    }
    return out;
  }

  /**
   * An address from a forwarded header: {@code 192.0.2.1}, {@code "[2001:db8::1]:4711"}, {@code
   * 192.0.2.1:4711}; null for anything else.
   */
  static InetAddress parse(String value) {
    String v = value;
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    if (v.startsWith("[")) {
      int end = v.indexOf(']');
      v = end < 0 ? "" : v.substring(1, end);
    } else if (v.indexOf(':') == v.lastIndexOf(':') && v.indexOf(':') > 0) {
      v = v.substring(0, v.indexOf(':'));
    }
    return v.isEmpty() ? null : NetUtil.createInetAddressFromIpAddressString(v);
  }
}
