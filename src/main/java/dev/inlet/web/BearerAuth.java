package dev.inlet.web;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Guards routes with {@code Authorization: Bearer <token>} (RFC 6750 §2.1), the token compared in
 * constant time; otherwise 401 with {@code WWW-Authenticate: Bearer} and {@link
 * Problems#unauthorized()}.
 *
 * <p>The header is read as RFC 9110 §11.6.2 has it, {@code credentials = auth-scheme [ 1*SP token68
 * ]}: the scheme in any case ({@code bearer}, {@code BEARER}; §11.1), one or more spaces (not
 * tabs), then the token, which is never empty. Spaces and tabs around the whole value are optional
 * whitespace of the field (§5.5) and do not count.
 */
public final class BearerAuth {
  private static final Logger log = LoggerFactory.getLogger(BearerAuth.class);

  /** The {@code WWW-Authenticate} challenge sent with a 401, and the scheme's name. */
  public static final String challenge = "Bearer";

  private BearerAuth() {}

  /**
   * A WebFlux filter admitting only requests that carry {@code token}, from a client address that
   * {@code failures} does not throttle. Each refusal is logged at WARN with the client's address,
   * the method and path, and (in the MDC) the request id; never with the header or any part of it.
   * A throttled address gets 429 ({@link FailedAuthentications#tooMany}) without its header being
   * looked at, so that a right guess cannot be told from a wrong one until its window has passed.
   *
   * <p>The client's address is the request's remote address: the socket's peer, unless Spring's
   * forwarded-headers support ({@code server.forward-headers-strategy}) is configured to take it
   * from {@code Forwarded}/{@code X-Forwarded-For}, which only a trusted proxy in front may set.
   */
  public static HandlerFilterFunction<ServerResponse, ServerResponse> requiring(
      String token, FailedAuthentications failures) {
    Predicate<String> admits = admitting(token);
    return (request, next) -> {
      String client = clientAddress(request);
      long waitNanos = failures.retryAfterNanos(client);
      if (waitNanos > 0) {
        return failures.tooMany(waitNanos);
      }
      if (admits.test(request.headers().firstHeader(HttpHeaders.AUTHORIZATION))) {
        return next.handle(request);
      }
      boolean limitReached = failures.failed(client);
      RequestIdFilter.logging(
          request,
          () ->
              log.warn(
                  "Failed authentication from {} on {} {}{}",
                  client,
                  request.method(),
                  request.path(),
                  limitReached
                      ? ": "
                          + failures.maxFailures()
                          + " failures, further requests from this address get 429 for up to "
                          + failures.window()
                      : ""));
      return ServerResponse.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .bodyValue(Problems.unauthorized());
    };
  }

  /**
   * Whether an {@code Authorization} header value (null when absent) carries the bearer {@code
   * token}. Parses the scheme and spaces as the class says; the token itself is compared in time
   * that depends on the expected token's length only.
   */
  public static Predicate<String> admitting(String token) {
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return given -> {
      if (given == null) {
        return false;
      }
      int end = given.length();
      while (end > 0 && isOptionalWhitespace(given.charAt(end - 1))) {
        end--;
      }
      int start = 0;
      while (start < end && isOptionalWhitespace(given.charAt(start))) {
        start++;
      }
      int scheme = challenge.length();
      if (end - start <= scheme + 1
          || !given.regionMatches(true, start, challenge, 0, scheme)
          || given.charAt(start + scheme) != ' ') {
        return false;
      }
      int from = start + scheme + 1;
      while (from < end && given.charAt(from) == ' ') {
        from++;
      }
      if (from == end) {
        return false;
      }
      byte[] presented = given.substring(from, end).getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(expected, presented);
    };
  }

  private static boolean isOptionalWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** The client's address as the class says, or {@code unknown} when the request has none. */
  private static String clientAddress(ServerRequest request) {
    return request
        .remoteAddress()
        .map(InetSocketAddress::getAddress)
        .map(address -> address.getHostAddress())
        .orElse("unknown");
  }
}
