package dev.inlet.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Which URLs a webhook may post to: absolute {@code http} or {@code https} with a host, at most
 * {@value #maxLength} characters, and — unless private addresses are allowed — a host that neither
 * is nor resolves to an address outside the public internet (so a merchant cannot make Inlet probe
 * its own network or a cloud metadata service; {@link dev.inlet.web.PublicAddresses}). Checked at
 * creation and again before every attempt, since DNS answers change.
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
}
