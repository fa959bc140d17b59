package dev.inlet.admission;

import dev.inlet.merchant.ApiKeys;
import dev.inlet.stream.AdmissionReason;
import dev.inlet.web.BearerAuth;
import dev.inlet.web.KeyedRateLimits;
import java.util.HexFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Merchant API requests per API key ({@code INLET_API_RATE_PER_KEY}, {@code
 * INLET_API_BURST_PER_KEY}), after the key is authenticated: every answer carries {@code
 * RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset}
 * (draft-ietf-httpapi-ratelimit-headers); past the limit, 429 {@code sender-quota} with {@code
 * Retry-After}. Keys are tracked by their hash, never in clear.
 */
public final class ApiRateLimit {
  private final KeyedRateLimits limits;
  private final Refusals refusals;

  ApiRateLimit(KeyedRateLimits limits, Refusals refusals) {
    this.limits = limits;
    this.refusals = refusals;
  }

  /** The filter; it goes after the API key filter. */
  public HandlerFilterFunction<ServerResponse, ServerResponse> perKey() {
    return (request, next) -> {
      String key = BearerAuth.presented(request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
      String hash = HexFormat.of().formatHex(ApiKeys.hash(key == null ? "" : key));
      KeyedRateLimits.Decision d = limits.acquire(hash);
      d.writeHeaders(request.exchange().getResponse().getHeaders());
      if (d.allowed()) {
        return next.handle(request);
      }
      refusals.refused(
          Refusals.Where.api, AdmissionReason.SENDER_QUOTA, "key " + hash.substring(0, 12));
      return AdmissionProblems.respond(
          AdmissionReason.SENDER_QUOTA,
          d.resetSeconds(),
          "Too many requests with this API key: at most " + d.limit() + " at once");
    };
  }
}
