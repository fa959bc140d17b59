package dev.inlet.admission;

import dev.inlet.stream.AdmissionReason;
import dev.inlet.web.ClientAddresses;
import dev.inlet.web.KeyedRateLimits;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
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
 * it, 429 {@code sender-quota} with {@code Retry-After}. A web filter, ahead of routing and of
 * everything else but the client's address and CORS: a refused query costs a map lookup and a
 * pre-rendered body, not the router's walk over every route (a flood of refusals cost about as much
 * as served queries when this was a filter of the SPSP routes).
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

  /** The dashboard's sign-in page: one segment like an account's, throttled on its own. */
  private static final String dashboard = "/admin";

  private static final List<PathPattern> patterns =
      paths.stream().map(PathPatternParser.defaultInstance::parse).toList();

  private final KeyedRateLimits limits;
  private final Refusals refusals;
  private final byte[] refused;

  SpspRateLimit(KeyedRateLimits limits, Refusals refusals, JsonMapper json, int burst) {
    this.limits = limits;
    this.refusals = refusals;
    this.refused =
        AdmissionProblems.render(
            json,
            AdmissionReason.SENDER_QUOTA,
            "Too many SPSP queries from this address: at most " + burst + " at once");
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!isQuery(exchange)) {
      return chain.filter(exchange);
    }
    String client = ClientAddresses.of(exchange);
    KeyedRateLimits.Decision d = limits.acquire(client);
    if (d.allowed()) {
      return chain.filter(exchange);
    }
    refusals.refused(Refusals.Where.spsp, AdmissionReason.SENDER_QUOTA, client);
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(AdmissionProblems.status(AdmissionReason.SENDER_QUOTA));
    HttpHeaders headers = response.getHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, d.resetSeconds())));
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    headers.setContentLength(refused.length);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(refused)));
  }

  /** Whether the request is an SPSP query: a GET of one of {@link #paths}. */
  static boolean isQuery(ServerWebExchange exchange) {
    if (!HttpMethod.GET.equals(exchange.getRequest().getMethod())) {
      return false;
    }
    PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
    if (path.value().equals(dashboard)) {
      return false;
    }
    for (PathPattern p : patterns) {
      if (p.matches(path)) {
        return true;
      }
    }
    return false;
  }
}
