package dev.inlet.admission;

import dev.inlet.stream.AdmissionReason;
import dev.inlet.web.ClientAddresses;
import dev.inlet.web.KeyedRateLimits;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * SPSP queries per client address ({@code INLET_SPSP_RATE_PER_CLIENT}, with {@code
 * INLET_SPSP_BURST_PER_CLIENT}), shared by every SPSP route: a router applies {@link #perClient()}
 * with one {@code .filter(…)}. Past it, 429 {@code sender-quota} with {@code Retry-After}, before
 * anything is looked up.
 */
public final class SpspRateLimit {
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

  /** The filter. */
  public HandlerFilterFunction<ServerResponse, ServerResponse> perClient() {
    return (request, next) -> {
      String client = ClientAddresses.of(request.exchange());
      KeyedRateLimits.Decision d = limits.acquire(client);
      if (d.allowed()) {
        return next.handle(request);
      }
      refusals.refused(Refusals.Where.spsp, AdmissionReason.SENDER_QUOTA, client);
      return AdmissionProblems.respond(AdmissionReason.SENDER_QUOTA, d.resetSeconds(), refused);
    };
  }
}
