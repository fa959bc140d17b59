package dev.inlet.stream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.crypto.ConnectionToken;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.InvalidTokenException;
import dev.inlet.crypto.StreamKeys;

/**
 * Finds a connection's credentials from the ILP address a Prepare is sent to, {@code <receiver
 * address>.<account>.<token>[.<more>]}: the token opens (authenticated) to what the connection pays
 * into, and the shared secret derives from it (RFC 0029 §4.1), so no lookup is needed. Opened
 * tokens and their keys are kept in a bounded cache: a cache only, any replica can rebuild an
 * entry.
 */
final class ConnectionCredentials {
  private final String prefix;
  private final ConnectionTokens tokens;
  private final Cache<String, Credentials> cache =
      Caffeine.newBuilder().maximumSize(ReceiverLimits.maxCachedConnections).build();

  /** A connection's token contents and keys. */
  record Credentials(ConnectionToken token, StreamKeys keys) {}

  ConnectionCredentials(IlpAddress receiverAddress, ConnectionTokens tokens) {
    this.prefix = receiverAddress.value() + ".";
    this.tokens = tokens;
  }

  /**
   * @return the credentials for {@code destination}, or null when it is not one of this receiver's
   *     connection addresses, its token does not open, or it pays into something this receiver does
   *     not serve
   */
  Credentials resolve(IlpAddress destination) {
    String token = tokenOf(destination.value());
    if (token == null) {
      return null;
    }
    Credentials cached = cache.getIfPresent(token);
    if (cached != null) {
      return cached;
    }
    try {
      ConnectionToken opened = tokens.open(token);
      Credentials credentials =
          new Credentials(opened, StreamKeys.derive(tokens.sharedSecret(opened.connectionId())));
      cache.put(token, credentials);
      return credentials;
    } catch (InvalidTokenException e) {
      return null;
    }
  }

  private String tokenOf(String address) {
    if (!address.startsWith(prefix)) {
      return null;
    }
    int accountEnd = address.indexOf('.', prefix.length());
    if (accountEnd < 0) {
      return null;
    }
    int tokenEnd = address.indexOf('.', accountEnd + 1);
    String token = address.substring(accountEnd + 1, tokenEnd < 0 ? address.length() : tokenEnd);
    return token.isEmpty() ? null : token;
  }
}
