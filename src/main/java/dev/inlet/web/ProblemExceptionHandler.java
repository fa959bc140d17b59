package dev.inlet.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Last resort for errors no handler answered (unknown route, wrong method, unexpected failure): a
 * problem document, never a stack trace. Unexpected failures are logged here and answered 500 with
 * no detail.
 */
@Component
@Order(-2)
public final class ProblemExceptionHandler implements WebExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);
  private final JsonMapper json;

  public ProblemExceptionHandler(JsonMapper json) {
    this.json = json;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(error);
    }
    ProblemDetail problem;
    HttpStatusCode status;
    if (error instanceof ResponseStatusException e) {
      status = e.getStatusCode();
      HttpStatus known = HttpStatus.resolve(status.value());
      String reason = known == null ? "error" : known.getReasonPhrase();
      problem =
          Problems.problem(
              known == null ? HttpStatus.BAD_REQUEST : known,
              known == null ? "error" : Problems.slug(known),
              e.getReason() != null ? e.getReason() : reason);
    } else {
      RequestIdFilter.logging(
          exchange,
          () ->
              log.error(
                  "Unhandled error on {} {}",
                  exchange.getRequest().getMethod(),
                  exchange.getRequest().getPath(),
                  error));
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      problem = Problems.internalError();
    }
    exchange.getResponse().setStatusCode(status);
    exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    byte[] body = json.writeValueAsBytes(problem);
    return exchange
        .getResponse()
        .writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
  }
}
