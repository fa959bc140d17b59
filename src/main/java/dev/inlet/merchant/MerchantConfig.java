package dev.inlet.merchant;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.inlet.config.InletSettings;
import dev.inlet.web.FailedAuthentications;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/** Wires merchants, their API keys and the merchant API's authentication. */
@Configuration(proxyBeanMethods = false)
class MerchantConfig {

  @Bean
  @DependsOn("flywayInitializer")
  Merchants merchants(DataSource dataSource) {
    return new Merchants(dataSource);
  }

  @Bean
  MerchantAdminHandler merchantAdminHandler(Merchants merchants, JsonMapper json) {
    return new MerchantAdminHandler(merchants, json);
  }

  /**
   * Failed API key authentications are throttled per client address as admin ones are ({@code
   * INLET_ADMIN_AUTH_MAX_FAILURES} within {@code INLET_ADMIN_AUTH_WINDOW}), counted apart.
   */
  @Bean
  MerchantApi merchantApi(
      Merchants merchants,
      InletSettings settings,
      @Qualifier("merchantApiRateLimit")
          HandlerFilterFunction<ServerResponse, ServerResponse> limit) {
    return new MerchantApi(
        merchants,
        new FailedAuthentications(
            settings.adminAuthMaxFailures(), settings.adminAuthWindow(), Ticker.systemTicker()),
        limit);
  }
}
