package dev.inlet.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Guards routes with {@code Authorization: Bearer <token>}, compared in constant time; otherwise
 * 401 with {@code WWW-Authenticate: Bearer} and {@link Problems#unauthorized()}.
 */
public final class BearerAuth {
  /** The {@code WWW-Authenticate} challenge sent with a 401. */
  public static final String challenge = "Bearer";

  private BearerAuth() {}

  /** A WebFlux filter admitting only requests that carry {@code token}. */
  public static HandlerFilterFunction<ServerResponse, ServerResponse> requiring(String token) {
    Predicate<String> admits = admitting(token);
    return (request, next) -> {
      if (admits.test(request.headers().firstHeader(HttpHeaders.AUTHORIZATION))) {
        return next.handle(request);
      }
      return ServerResponse.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .bodyValue(Problems.unauthorized());
    };
  }

  /**
   * Whether an {@code Authorization} header value (null when absent) is {@code Bearer <token>}, in
   * constant time.
   */
  public static Predicate<String> admitting(String token) {
    byte[] expected = (challenge + " " + token).getBytes(StandardCharsets.UTF_8);
    return given ->
        given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
  }
}
