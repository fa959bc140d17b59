package dev.inlet.admission;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;

/**
 * Answers an SPSP query the rate limit admitted on the connection's event loop ({@link
 * SpspEarlyHandler}), without blocking it, so that the query never becomes a WebFlux request:
 * through WebFlux an admitted query cost milliseconds of CPU at a few a second
 * (docs/performance.md, "Runs F40–F50"). Declining sends the query on to WebFlux, which answers
 * every case; an answer given here must be the one WebFlux would give.
 */
@FunctionalInterface
public interface EarlySpspAnswers {
  /** A 200 answer: its body, of type {@code contentType}; never to be cached. */
  record Answer(MediaType contentType, byte[] body) {}

  /**
   * Must not block: what it has to look up or count runs elsewhere, and the future completes when
   * that lands (then the query is answered, or sent on, from the connection's event loop).
   *
   * @param path the request's path, without its query
   * @param header the first value of a request header by name, or null
   * @return the answer, completed with null to send the query on to WebFlux; or null to send it on
   *     at once
   */
  CompletableFuture<Answer> answer(PathContainer path, Function<String, String> header);
}
