package dev.inlet.web;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * HTTP errors as RFC 9457 problem documents ({@code application/problem+json}) with a stable {@code
 * type} per kind of error, {@code urn:inlet:problem:<slug>}. No stack trace or secret ever goes
 * into one. Routes outside WebFlux (ILP-over-HTTP) build the same documents here and render them
 * with the application's {@code JsonMapper}, the one WebFlux's encoder uses, so the bytes are the
 * same.
 */
public final class Problems {
  private Problems() {}

  /**
   * A problem response: {@code status}, a stable {@code slug} naming the kind of error, and a human
   * detail.
   */
  public static Mono<ServerResponse> respond(HttpStatus status, String slug, String detail) {
    return ServerResponse.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyValue(problem(status, slug, detail));
  }

  /**
   * Largest rest of a refused body, bytes, that a server of Inlet's (WebFlux's or ILP-over-HTTP's)
   * still reads and drops to keep the connection: closing on unread bytes resets it, and a client
   * still sending then loses the answer. Beyond this, that risk is the sender's.
   */
  public static final long maxDrainedBodyBytes = 1024 * 1024;

  /**
   * 413: the body is larger than the route takes. Reactor Netty reads and drops the rest of the
   * body, so the connection stays usable. Only a body of unknown or very large length gets {@code
   * Connection: close}; closing a socket with unread bytes makes the kernel reset it, which can
   * destroy this answer before the client reads it.
   */
  public static Mono<ServerResponse> tooLarge(ServerRequest request, String slug, String detail) {
    long declared = request.headers().contentLength().orElse(-1);
    ServerResponse.BodyBuilder response = ServerResponse.status(HttpStatus.CONTENT_TOO_LARGE);
    if (declared < 0 || declared > maxDrainedBodyBytes) {
      response.header(HttpHeaders.CONNECTION, "close");
    }
    return response
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyValue(problem(HttpStatus.CONTENT_TOO_LARGE, slug, detail));
  }

  /** The problem document itself. */
  public static ProblemDetail problem(HttpStatus status, String slug, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create("urn:inlet:problem:" + slug));
    return p;
  }

  /**
   * The slug of a problem that says no more than its status: the reason phrase in lower case,
   * spaces as hyphens ({@code bad-request}, {@code not-found}).
   */
  public static String slug(HttpStatus status) {
    return status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  /**
   * 400: the request is not HTTP/1.1 a server can read (it is answered, then the connection
   * closes).
   */
  public static ProblemDetail malformedRequest() {
    return problem(
        HttpStatus.BAD_REQUEST, "malformed-request", "The request is not valid HTTP/1.1");
  }

  /**
   * 401: no valid bearer token; sent with {@code WWW-Authenticate: Bearer} ({@link BearerAuth}).
   */
  public static ProblemDetail unauthorized() {
    return problem(HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required");
  }

  /**
   * 500: an unexpected failure, logged by whoever answers it; nothing about it goes to the caller.
   */
  public static ProblemDetail internalError() {
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error");
  }
}
