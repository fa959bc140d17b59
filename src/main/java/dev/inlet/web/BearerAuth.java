package dev.inlet.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Guards routes with {@code Authorization: Bearer <token>}, compared in constant time; otherwise 401. */
public final class BearerAuth {
  private BearerAuth() {}

  /** A filter admitting only requests that carry {@code token}. */
  public static HandlerFilterFunction<ServerResponse, ServerResponse> requiring(String token) {
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    return (request, next) -> {
      String given = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
      if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
        return next.handle(request);
      }
      return ServerResponse.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .bodyValue(Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required"));
    };
  }
}
