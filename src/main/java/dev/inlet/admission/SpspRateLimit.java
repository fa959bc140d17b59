package dev.inlet.admission;

import dev.inlet.stream.AdmissionReason;
import dev.inlet.web.ClientAddresses;
import dev.inlet.web.KeyedRateLimits;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * SPSP queries per client address ({@code INLET_SPSP_RATE_PER_CLIENT}, with {@code
 * INLET_SPSP_BURST_PER_CLIENT}): a {@code GET} of any payment pointer path ({@link #paths}). Past
 * it, 429 {@code sender-quota} with {@code Retry-After}.
 *
 * <p>Checked twice over, never counted twice: first on the connection's event loop by {@link
 * SpspEarlyHandler}, ahead of WebFlux, which answers a refused query itself (a flood of refusals
 * then costs no WebFlux request each) and answers or marks an admitted one ({@link
 * #admittedHeader}, with a value secret to this process, stripped from what clients send); then by
 * this web filter, ahead of routing and of everything but the request id, the client's address and
 * CORS, which lets a marked query through and checks any other (a query pipelined behind an
 * unanswered one, which the early check passes on so that answers keep their order; or one that
 * came another way).
 */
public final class SpspRateLimit implements WebFilter {
  /**
   * Where SPSP answers (RFC 0009): the host's default, and the payment pointers of accounts,
   * invoices, vouchers and mandates. CORS covers the same paths.
   */
  public static final List<String> paths =
      List.of(
          "/.well-known/pay",
          "/{account}",
          "/invoices/{id}",
          "/vouchers/{code}",
          "/mandates/{code}");

  /** The request header by which the early check tells this filter a query was admitted. */
  static final String admittedHeader = "Inlet-Spsp-Admitted";

  /** The dashboard's sign-in page: one segment like an account's, throttled on its own. */
  private static final String dashboard = "/admin";

  private static final List<PathPattern> patterns =
      paths.stream().map(PathPatternParser.defaultInstance::parse).toList();

  private final KeyedRateLimits limits;
  private final Refusals refusals;
  private final byte[] refused;
  private final String admitted;

  SpspRateLimit(KeyedRateLimits limits, Refusals refusals, JsonMapper json, int burst) {
    this.limits = limits;
    this.refusals = refusals;
    this.refused =
        AdmissionProblems.render(
            json,
            AdmissionReason.SENDER_QUOTA,
            "Too many SPSP queries from this address: at most " + burst + " at once");
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.admitted = HexFormat.of().formatHex(secret);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (!isQuery(request.getMethod().name(), request.getPath().pathWithinApplication())
        || admitted.equals(request.getHeaders().getFirst(admittedHeader))) {
      return chain.filter(exchange);
    }
    KeyedRateLimits.Decision d = acquire(ClientAddresses.of(exchange));
    if (d.allowed()) {
      return chain.filter(exchange);
    }
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(AdmissionProblems.status(AdmissionReason.SENDER_QUOTA));
    HttpHeaders headers = response.getHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, retryAfter(d));
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    headers.setContentLength(refused.length);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(refused)));
  }

  /** Takes one query of {@code client}'s allowance; a refusal is counted and remembered. */
  KeyedRateLimits.Decision acquire(String client) {
    KeyedRateLimits.Decision d = limits.acquire(client);
    if (!d.allowed()) {
      refusals.refused(Refusals.Where.spsp, AdmissionReason.SENDER_QUOTA, client);
    }
    return d;
  }

  /** The refusal's problem document (RFC 9457), rendered once; not to be changed. */
  byte[] refusedBody() {
    return refused;
  }

  /** The value of {@link #admittedHeader} on a query the early check admitted. */
  String admittedMark() {
    return admitted;
  }

  /** {@code Retry-After} of a refusal: whole seconds until the client's window refills. */
  static String retryAfter(KeyedRateLimits.Decision d) {
    return Long.toString(Math.max(1, d.resetSeconds()));
  }

  /** Whether a request is an SPSP query: a {@code GET} of one of {@link #paths}. */
  static boolean isQuery(String method, PathContainer path) {
    if (!HttpMethod.GET.name().equals(method) || path.value().equals(dashboard)) {
      return false;
    }
    for (PathPattern pattern : patterns) {
      if (pattern.matches(path)) {
        return true;
      }
    }
    return false;
  }
}
