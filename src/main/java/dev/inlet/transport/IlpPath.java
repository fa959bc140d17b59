package dev.inlet.transport;

import java.nio.charset.StandardCharsets;
import org.springframework.util.StringUtils;

/**
 * Whether a request-target names {@code /ilp} the way WebFlux's path patterns matched it before this route left
 * WebFlux: with or without a query, in origin or absolute form ({@code http://host/ilp}), the one segment
 * percent-decoded and stripped of {@code ;params}. {@code /ilp/}, {@code //ilp} and {@code /ILP} are not it.
 */
final class IlpPath {
  private static final String path = "/ilp";
  private static final String segment = "ilp";

  private IlpPath() {}

  static boolean matches(String target) {
    // What a connector sends: a plain compare, nothing allocated.
    if (target.startsWith(path) && (target.length() == path.length() || isEnd(target.charAt(path.length())))) {
      return true;
    }
    int start = 0;
    if (!target.startsWith("/")) {
      int scheme = target.indexOf("://");
      start = scheme < 0 ? -1 : target.indexOf('/', scheme + 3);
      if (start < 0) {
        return false;
      }
    }
    int end = start + 1;
    while (end < target.length() && !isEnd(target.charAt(end))) {
      end++;
    }
    String raw = target.substring(start + 1, end);
    int params = raw.indexOf(';');
    if (raw.indexOf('/') >= 0) {
      return false;
    }
    try {
      return segment.equals(StringUtils.uriDecode(params < 0 ? raw : raw.substring(0, params), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isEnd(char c) {
    return c == '?' || c == '#';
  }
}
