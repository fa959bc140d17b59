package dev.inlet.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A request value that cannot be used, found before anything is written: answered as a problem
 * document with {@code status} (400 for what is malformed, 409/422 for what is well formed but not
 * acceptable) and a stable {@code slug}; the message is the problem's detail.
 */
public final class InvalidRequest extends RuntimeException {
  private final HttpStatus status;
  private final String slug;

  public InvalidRequest(HttpStatus status, String slug, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
  }

  /** A 400 problem {@code slug}. */
  public static InvalidRequest bad(String slug, String detail) {
    return new InvalidRequest(HttpStatus.BAD_REQUEST, slug, detail);
  }

  public HttpStatus status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  /** The problem response. */
  public Mono<ServerResponse> respond() {
    return Problems.respond(status, slug, getMessage());
  }
}
