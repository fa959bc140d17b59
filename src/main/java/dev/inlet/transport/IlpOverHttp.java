package dev.inlet.transport;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.stream.StreamReceiver;
import dev.inlet.web.BearerAuth;
import dev.inlet.web.Problems;
import java.time.Duration;
import java.util.function.Predicate;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * ILP-over-HTTP (RFC 0035, "Request" and "Response"): the upstream connector POSTs an OER ILP
 * Prepare to {@code /ilp} with its bearer token and reads the Fulfill or Reject from a 200 {@code
 * application/octet-stream} response. HTTP errors are for transport failures only, as problem
 * documents ({@link Problems}): 401 without the connector's token, 400 for a body that is not a
 * Prepare, 404 for another path, 405 for another method, 408 for a request not sent within {@code
 * requestTimeout}, 413 (and the connection closed) for a body, declared or chunked, larger than any
 * Prepare can be ({@link IlpCodec#maxPrepareBytes}) — never held in memory beyond that.
 *
 * <p>What one listener ({@link IlpHttpServer}) shares between its connections ({@link
 * IlpHttpConnectionHandler}): the receiver, the connector's token, the timeouts and the problem
 * documents, rendered once.
 */
public final class IlpOverHttp {
  final StreamReceiver receiver;
  final PacketMetrics metrics;
  final JsonMapper json;
  final long idleTimeoutNanos;
  final long requestTimeoutNanos;
  final byte[] unauthorized;
  final byte[] notFound;
  final byte[] methodNotAllowed;
  final byte[] timedOut;
  final byte[] tooLarge;
  final byte[] malformed;
  final byte[] internalError;
  private final Predicate<String> connector;

  /**
   * @param connectorToken the bearer token the upstream connector must send
   * @param json the application's mapper, which renders problem documents as WebFlux does
   * @param idleTimeout a connection that has read nothing for this long while no answer is pending
   *     is closed
   * @param requestTimeout each request's head and whole body must arrive within this, from its
   *     first byte
   * @throws IllegalArgumentException if a timeout is not positive
   */
  public IlpOverHttp(
      StreamReceiver receiver,
      PacketMetrics metrics,
      String connectorToken,
      JsonMapper json,
      Duration idleTimeout,
      Duration requestTimeout) {
    this.receiver = receiver;
    this.metrics = metrics;
    this.connector = BearerAuth.admitting(connectorToken);
    this.json = json;
    this.idleTimeoutNanos = positive(idleTimeout, "idle timeout");
    this.requestTimeoutNanos = positive(requestTimeout, "request timeout");
    this.unauthorized = json.writeValueAsBytes(Problems.unauthorized());
    this.notFound = problem(HttpStatus.NOT_FOUND, "not-found", "This port serves POST /ilp only");
    this.methodNotAllowed =
        problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "/ilp takes POST only");
    this.timedOut =
        problem(
            HttpStatus.REQUEST_TIMEOUT,
            "request-timeout",
            "The request was not received within " + requestTimeout.toMillis() + " ms");
    this.tooLarge =
        problem(
            HttpStatus.CONTENT_TOO_LARGE,
            "ilp-packet-too-large",
            "An ILP Prepare is at most " + IlpCodec.maxPrepareBytes + " bytes");
    this.malformed = json.writeValueAsBytes(Problems.malformedRequest());
    this.internalError = json.writeValueAsBytes(Problems.internalError());
  }

  boolean admits(String authorization) {
    return connector.test(authorization);
  }

  byte[] problem(HttpStatus status, String type, String detail) {
    return json.writeValueAsBytes(Problems.problem(status, type, detail));
  }

  private static long positive(Duration timeout, String name) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + timeout);
    }
    return timeout.toNanos();
  }
}
