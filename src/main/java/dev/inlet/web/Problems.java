package dev.inlet.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * HTTP errors as RFC 9457 problem documents ({@code application/problem+json}) with a stable {@code type} per
 * kind of error, {@code urn:inlet:problem:<slug>}. No stack trace or secret ever goes into one.
 */
public final class Problems {
  private Problems() {}

  /** A problem response: {@code status}, a stable {@code slug} naming the kind of error, and a human detail. */
  public static Mono<ServerResponse> respond(HttpStatus status, String slug, String detail) {
    return ServerResponse.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyValue(problem(status, slug, detail));
  }

  /** The problem document itself. */
  public static ProblemDetail problem(HttpStatus status, String slug, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create("urn:inlet:problem:" + slug));
    return p;
  }
}
