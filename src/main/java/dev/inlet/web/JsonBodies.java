package dev.inlet.web;

import java.util.Collection;
import java.util.function.BiFunction;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a bounded JSON object body; anything else fails with {@link InvalidBody} (400 or 413). */
public final class JsonBodies {
  private JsonBodies() {}

  public static Mono<JsonNode> read(ServerRequest request, JsonMapper json, int maxBytes) {
    return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxBytes)
        .onErrorMap(
            DataBufferLimitException.class,
            e ->
                new InvalidBody(
                    HttpStatus.CONTENT_TOO_LARGE, "The body is larger than " + maxBytes + " bytes"))
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              return bytes;
            })
        .defaultIfEmpty(new byte[0])
        .map(
            bytes -> {
              try {
                JsonNode node = json.readTree(bytes);
                if (node == null || !node.isObject()) {
                  throw new InvalidBody(HttpStatus.BAD_REQUEST, "The body must be a JSON object");
                }
                return node;
              } catch (JacksonException e) {
                throw new InvalidBody(HttpStatus.BAD_REQUEST, "The body is not valid JSON");
              }
            });
  }

  /**
   * Reads the body and the {@code Idempotency-Key} header, then answers with {@code handler}: bad
   * ones (400 {@code invalid-idempotency-key}, 413/400 {@code invalid-request-body}) and the {@link
   * InvalidRequest}s the handler throws become their problem documents.
   *
   * @param handler given the body and the key (null when the header is absent)
   */
  public static Mono<ServerResponse> withIdempotencyKey(
      ServerRequest request,
      JsonMapper json,
      int maxBytes,
      BiFunction<JsonNode, String, Mono<ServerResponse>> handler) {
    String key;
    try {
      key = Idempotency.key(request.headers().header("Idempotency-Key")).orElse(null);
    } catch (IllegalArgumentException e) {
      return Problems.respond(HttpStatus.BAD_REQUEST, "invalid-idempotency-key", e.getMessage());
    }
    return read(request, json, maxBytes)
        .flatMap(body -> handler.apply(body, key))
        .onErrorResume(InvalidBody.class, e -> problem(request, e))
        .onErrorResume(InvalidRequest.class, InvalidRequest::respond);
  }

  /**
   * The first field of {@code body} not in {@code fields}, or null: a merchant API body with a
   * misspelt field ({@code expiresAt}) is refused rather than half applied.
   */
  public static String unknownField(JsonNode body, Collection<String> fields) {
    for (String name : body.propertyNames()) {
      if (!fields.contains(name)) {
        return name;
      }
    }
    return null;
  }

  /**
   * The problem answer for a body {@link #read} refused: 413 or 400 {@code invalid-request-body}.
   */
  public static Mono<ServerResponse> problem(ServerRequest request, InvalidBody e) {
    return e.status() == HttpStatus.CONTENT_TOO_LARGE
        ? Problems.tooLarge(request, "invalid-request-body", e.getMessage())
        : Problems.respond(e.status(), "invalid-request-body", e.getMessage());
  }

  /** A request body that cannot be used, with the status that says why. */
  public static final class InvalidBody extends RuntimeException {
    private final HttpStatus status;

    InvalidBody(HttpStatus status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public HttpStatus status() {
      return status;
    }
  }
}
