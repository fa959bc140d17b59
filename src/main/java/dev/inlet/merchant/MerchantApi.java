package dev.inlet.merchant;

import dev.inlet.web.FailedAuthentications;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * What every merchant API route ({@code /v1/**}) shares: the API key filter ({@link MerchantAuth})
 * with one throttle of failed attempts per client address for all of them, then the rate limit per
 * key. Each feature's routes apply {@link #authenticated()}.
 */
public final class MerchantApi {
  /** The merchant API's path prefix. */
  public static final String prefix = "/v1";

  private final HandlerFilterFunction<ServerResponse, ServerResponse> filter;

  /**
   * @param limit applied after the key is authenticated: the requests-per-key limit ({@code
   *     dev.inlet.admission.ApiRateLimit})
   */
  public MerchantApi(
      Merchants merchants,
      FailedAuthentications failures,
      HandlerFilterFunction<ServerResponse, ServerResponse> limit) {
    this.filter = MerchantAuth.requiringApiKey(merchants, failures).andThen(limit);
  }

  /** The API key filter. */
  public HandlerFilterFunction<ServerResponse, ServerResponse> authenticated() {
    return filter;
  }
}
