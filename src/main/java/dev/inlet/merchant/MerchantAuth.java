package dev.inlet.merchant;

import dev.inlet.web.BearerAuth;
import dev.inlet.web.FailedAuthentications;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Guards the merchant API ({@code /v1/**}): {@code Authorization: Bearer <api key>} of a key not
 * revoked, else 401 problem+json; failed attempts throttled per client address as on the admin API.
 * The handler finds the authenticated merchant with {@link #merchant}; every query it makes is
 * scoped to that merchant, so another merchant's ids answer 404, never 403.
 */
public final class MerchantAuth {
  private static final String attribute = MerchantAuth.class.getName() + ".merchant";

  private MerchantAuth() {}

  /** The filter. Keys are looked up by their hash, one indexed query per request. */
  public static HandlerFilterFunction<ServerResponse, ServerResponse> requiringApiKey(
      Merchants merchants, FailedAuthentications failures) {
    return BearerAuth.authenticating(
        header -> {
          String key = BearerAuth.presented(header);
          if (key == null || !key.startsWith(ApiKeys.prefix) || key.length() > 128) {
            return Mono.empty();
          }
          return Mono.fromCallable(() -> merchants.authenticate(key).orElse(null))
              .subscribeOn(Schedulers.boundedElastic());
        },
        attribute,
        failures);
  }

  /**
   * The merchant the request authenticated as.
   *
   * @throws IllegalStateException on a route the filter does not guard (a wiring bug)
   */
  public static Merchant merchant(ServerRequest request) {
    Object m = request.attributes().get(attribute);
    if (m instanceof Merchant merchant) {
      return merchant;
    }
    throw new IllegalStateException("merchant route without MerchantAuth: " + request.path());
  }
}
