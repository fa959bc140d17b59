package dev.inlet.config;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.inlet.admin.AdminHandler;
import dev.inlet.admission.SpspRateLimit;
import dev.inlet.merchant.MerchantAdminHandler;
import dev.inlet.spsp.SpspHandler;
import dev.inlet.web.BearerAuth;
import dev.inlet.web.FailedAuthentications;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * SPSP and the admin API's routes; the merchant API's ({@code /v1}) are with their features. {@code
 * POST /ilp} has its own listener ({@link dev.inlet.transport.IlpHttpServer}).
 */
@Configuration(proxyBeanMethods = false)
class Routes {

  /**
   * Failed admin authentications per client address ({@code INLET_ADMIN_AUTH_MAX_FAILURES} within
   * {@code INLET_ADMIN_AUTH_WINDOW}).
   */
  @Bean
  FailedAuthentications failedAdminAuthentications(InletSettings settings) {
    return new FailedAuthentications(
        settings.adminAuthMaxFailures(), settings.adminAuthWindow(), Ticker.systemTicker());
  }

  @Bean
  RouterFunction<ServerResponse> adminRoutes(
      AdminHandler admin,
      MerchantAdminHandler merchants,
      Secrets secrets,
      FailedAuthentications failedAdminAuthentications) {
    return RouterFunctions.route()
        .POST("/admin/merchants", merchants::create)
        .GET("/admin/merchants/{name}", merchants::merchant)
        .POST("/admin/merchants/{name}/api-keys", merchants::issueKey)
        .DELETE("/admin/merchants/{name}/api-keys/{id}", merchants::revokeKey)
        .POST("/admin/accounts", admin::createAccount)
        .GET("/admin/accounts/{name}", admin::account)
        .GET("/admin/accounts/{name}/connections", admin::connections)
        .GET("/admin/ledger/check", admin::check)
        .filter(BearerAuth.requiring(secrets.adminToken(), failedAdminAuthentications))
        .build();
  }

  @Bean
  RouterFunction<ServerResponse> spspRoutes(SpspHandler spsp) {
    return RouterFunctions.route()
        .GET("/.well-known/pay", spsp::wellKnown)
        .GET("/{account}", spsp::account)
        .build();
  }

  /**
   * Browsers (Web Monetization) query payment pointers cross-origin (RFC 0009): every SPSP path
   * ({@link SpspRateLimit#paths}). Right after the client's address, before the SPSP rate limit, so
   * that its 429 carries CORS.
   */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 1)
  CorsWebFilter spspCors() {
    CorsConfiguration cors = new CorsConfiguration();
    cors.addAllowedOrigin("*");
    cors.setAllowedMethods(List.of("GET", "OPTIONS"));
    cors.setAllowedHeaders(
        List.of(HttpHeaders.ACCEPT, "Receipt-Nonce", "Receipt-Secret", "Web-Monetization-Id"));
    cors.setMaxAge(Duration.ofDays(1));
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    SpspRateLimit.paths.forEach(path -> source.registerCorsConfiguration(path, cors));
    return new CorsWebFilter(source);
  }
}
