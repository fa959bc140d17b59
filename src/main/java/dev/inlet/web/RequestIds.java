package dev.inlet.web;

import io.netty.channel.Channel;
import org.slf4j.MDC;

/**
 * Request ids, shared by the WebFlux routes ({@link RequestIdFilter}) and the ILP-over-HTTP
 * listener's {@code /ilp}: the caller's {@code X-Request-Id} when it is a sane token, otherwise the
 * server's own; echoed in the response and put in the logging MDC as {@code request_id} around each
 * log call.
 */
public final class RequestIds {
  /** Header carrying the request id, in and out. */
  public static final String header = "X-Request-Id";

  /** MDC key (and exchange attribute). */
  public static final String key = "request_id";

  private static final int maxLength = 64;

  private RequestIds() {}

  /**
   * Whether {@code id} is 1 to 64 of {@code [A-Za-z0-9._-]}: safe to echo and to log. A char loop,
   * not a regex.
   */
  public static boolean sane(String id) {
    if (id == null || id.isEmpty() || id.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * The id of the {@code n}th request read from a Netty {@code channel} (outside WebFlux): its own
   * {@code given} id when sane, else {@code <channel id>-<n>}.
   */
  public static String of(String given, Channel channel, long n) {
    return sane(given) ? given : channel.id().asShortText() + '-' + n;
  }

  /** Runs {@code log} with {@code id} (if any) in the MDC. */
  public static void logging(String id, Runnable log) {
    if (id == null) {
      log.run();
      return;
    }
    try (MDC.MDCCloseable ignored = MDC.putCloseable(key, id)) {
      log.run();
    }
  }
}
