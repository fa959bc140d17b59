package dev.inlet.web;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

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
   * <p>The client's address is {@link ClientAddresses}': the socket's peer, or what a configured
   * trusted proxy forwarded ({@code INLET_TRUSTED_PROXIES}).
   */
  public static HandlerFilterFunction<ServerResponse, ServerResponse> requiring(
      String token, FailedAuthentications failures) {
    Predicate<String> admits = admitting(token);
    return authenticating(
        header -> admits.test(header) ? Mono.just(Boolean.TRUE) : Mono.empty(), null, failures);
  }

  /**
   * As {@link #requiring}, for tokens looked up rather than compared: {@code principal} maps the
   * {@code Authorization} header value (null when absent) to whom it authenticates, or to an empty
   * Mono when it authenticates nobody. The principal is put in the request's attributes under
   * {@code attribute} (unless null) for the handler.
   */
  public static <T> HandlerFilterFunction<ServerResponse, ServerResponse> authenticating(
      Function<String, Mono<T>> principal, String attribute, FailedAuthentications failures) {
    return (request, next) -> {
      String client = clientAddress(request);
      long waitNanos = failures.retryAfterNanos(client);
      if (waitNanos > 0) {
        return failures.tooMany(waitNanos);
      }
      return principal
          .apply(request.headers().firstHeader(HttpHeaders.AUTHORIZATION))
          .map(
              p -> {
                if (attribute != null) {
                  request.attributes().put(attribute, p);
                }
                return true;
              })
          .defaultIfEmpty(false)
          .flatMap(admitted -> admitted ? next.handle(request) : refuse(request, client, failures));
    };
  }

  private static Mono<ServerResponse> refuse(
      ServerRequest request, String client, FailedAuthentications failures) {
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
  }

  /**
   * Whether an {@code Authorization} header value (null when absent) carries the bearer {@code
   * token}. Parses the scheme and spaces as the class says; the token itself is compared in time
   * that depends on the expected token's length only.
   */
  public static Predicate<String> admitting(String token) {
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return given -> {
      String presented = presented(given);
      return presented != null
          && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    };
  }

  /**
   * The bearer token an {@code Authorization} header value (null when absent) carries, parsed as
   * the class says; null when it carries none.
   */
  public static String presented(String given) {
    if (given == null) {
      return null;
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
      return null;
    }
    int from = start + scheme + 1;
    while (from < end && given.charAt(from) == ' ') {
      from++;
    }
    return from == end ? null : given.substring(from, end);
  }

  private static boolean isOptionalWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** The client's address as the class says, or {@code unknown} when the request has none. */
  private static String clientAddress(ServerRequest request) {
    Object resolved = request.attributes().get(ClientAddresses.attribute);
    if (resolved instanceof String address) {
      return address;
    }
    return request
        .remoteAddress()
        .map(InetSocketAddress::getAddress)
        .map(address -> address.getHostAddress())
        .orElse("unknown");
  }
}
