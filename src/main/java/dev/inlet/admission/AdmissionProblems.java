package dev.inlet.admission;

import dev.inlet.stream.AdmissionReason;
import dev.inlet.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP refusal: 429 Too Many Requests (503 Service Unavailable for {@code system-limit}), a
 * problem document of type {@code urn:inlet:problem:<reason>} (RFC 9457) and {@code Retry-After} in
 * whole seconds.
 */
public final class AdmissionProblems {
  private AdmissionProblems() {}

  /** The status a refusal for {@code reason} answers with. */
  public static HttpStatus status(AdmissionReason reason) {
    return reason == AdmissionReason.SYSTEM_LIMIT
        ? HttpStatus.SERVICE_UNAVAILABLE
        : HttpStatus.TOO_MANY_REQUESTS;
  }

  /**
   * The refusal response with a body rendered before ({@link #render}): refusing a flood costs no
   * JSON encoding per request.
   */
  public static Mono<ServerResponse> respond(
      AdmissionReason reason, long retryAfterSeconds, byte[] rendered) {
    return ServerResponse.status(status(reason))
        .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds)))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyValue(rendered);
  }

  /** The problem document for {@code reason}, as bytes. */
  public static byte[] render(JsonMapper json, AdmissionReason reason, String detail) {
    return json.writeValueAsBytes(Problems.problem(status(reason), reason.code(), detail));
  }

  /** The refusal response. */
  public static Mono<ServerResponse> respond(
      AdmissionReason reason, long retryAfterSeconds, String detail) {
    HttpStatus status = status(reason);
    return ServerResponse.status(status)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds)))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyValue(Problems.problem(status, reason.code(), detail));
  }
}
