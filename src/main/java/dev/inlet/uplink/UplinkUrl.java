package dev.inlet.uplink;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A parsed {@code INLET_UPLINK_URL}: {@code http(s)://host[:port]/path} for ILP-over-HTTP (RFC
 * 0035), or {@code btp+ws(s)://[user:secret@]host[:port][/path]} for BTP (RFC 0023) as the
 * Interledger.js plugins write it. The BTP credentials leave the URL: the WebSocket URL is {@code
 * ws(s)://host:port/path} and they go in the auth message.
 *
 * @param btp whether the uplink speaks BTP
 * @param endpoint where to connect: the HTTP endpoint, or the WebSocket URL without credentials
 * @param username BTP {@code auth_username} ("" when absent)
 * @param secret BTP {@code auth_token} ("" when absent)
 */
record UplinkUrl(boolean btp, URI endpoint, String username, String secret) {

  /**
   * @throws IllegalStateException naming INLET_UPLINK_URL and the problem (never the secret)
   */
  static UplinkUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw invalid("is not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid("has no host");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw invalid("must have no query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    switch (scheme) {
      case "http", "https" -> {
        if (uri.getRawUserInfo() != null) {
          throw invalid("must not carry credentials for HTTP: set INLET_UPLINK_TOKEN instead");
        }
        return new UplinkUrl(false, uri, "", "");
      }
      case "btp+ws", "btp+wss" -> {
        String user = "";
        String secret = "";
        String info = uri.getRawUserInfo();
        if (info != null) {
          int colon = info.indexOf(':');
          user = decode(colon < 0 ? info : info.substring(0, colon));
          secret = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        String ws = scheme.equals("btp+ws") ? "ws" : "wss";
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        URI endpoint =
            URI.create(ws + "://" + hostText(uri) + port + (path.isEmpty() ? "/" : path));
        return new UplinkUrl(true, endpoint, user, secret);
      }
      default ->
          throw invalid(
              "must start with http://, https://, btp+ws:// or btp+wss://, not "
                  + (scheme.isEmpty() ? "nothing" : scheme + "://"));
    }
  }

  /** The URL as it may be logged: no credentials. */
  String redacted() {
    return (btp ? "btp+" : "") + endpoint;
  }

  private static String hostText(URI uri) {
    String host = uri.getHost();
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static IllegalStateException invalid(String problem) {
    return new IllegalStateException("INLET_UPLINK_URL " + problem);
  }
}
