package dev.inlet.config;

import dev.inlet.admin.AdminHandler;
import dev.inlet.spsp.SpspHandler;
import dev.inlet.web.BearerAuth;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Every WebFlux route of Inlet, in one place: SPSP and the admin API. {@code POST /ilp} has its own
 * listener ({@link dev.inlet.transport.IlpHttpServer}).
 */
@Configuration(proxyBeanMethods = false)
class Routes {

  @Bean
  RouterFunction<ServerResponse> adminRoutes(AdminHandler admin, Secrets secrets) {
    return RouterFunctions.route()
        .POST("/admin/accounts", admin::createAccount)
        .GET("/admin/accounts/{name}", admin::account)
        .GET("/admin/accounts/{name}/connections", admin::connections)
        .GET("/admin/ledger/check", admin::check)
        .filter(BearerAuth.requiring(secrets.adminToken()))
        .build();
  }

  @Bean
  RouterFunction<ServerResponse> spspRoutes(SpspHandler spsp) {
    return RouterFunctions.route()
        .GET("/.well-known/pay", spsp::wellKnown)
        .GET("/{account}", spsp::account)
        .build();
  }

  /** Browsers (Web Monetization) query payment pointers cross-origin (RFC 0009). */
  @Bean
  CorsWebFilter spspCors() {
    CorsConfiguration cors = new CorsConfiguration();
    cors.addAllowedOrigin("*");
    cors.setAllowedMethods(List.of("GET", "OPTIONS"));
    cors.setAllowedHeaders(
        List.of(HttpHeaders.ACCEPT, "Receipt-Nonce", "Receipt-Secret", "Web-Monetization-Id"));
    cors.setMaxAge(Duration.ofDays(1));
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/.well-known/pay", cors);
    source.registerCorsConfiguration("/{account}", cors);
    return new CorsWebFilter(source);
  }
}
