package dev.inlet.webhook;

import dev.inlet.config.Secrets;
import dev.inlet.events.EventHub;
import dev.inlet.merchant.MerchantApi;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires webhooks: their store, the dispatcher (started here, stopped before the database) and the
 * routes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookSettings.class)
class WebhookConfig {

  @Bean
  @DependsOn("flywayInitializer")
  Webhooks webhooks(DataSource dataSource) {
    return new Webhooks(dataSource);
  }

  @Bean
  WebhookSecrets webhookSecrets(Secrets secrets) {
    return new WebhookSecrets(secrets.serverSecret());
  }

  /**
   * Runs on every replica, woken by the event hub whenever events are committed on any replica
   * (PostgreSQL NOTIFY), and by its own timer for due retries.
   */
  @Bean(destroyMethod = "close")
  @DependsOn("flywayInitializer")
  WebhookDispatcher webhookDispatcher(
      DataSource dataSource, WebhookSecrets secrets, WebhookSettings settings, EventHub hub) {
    WebhookDispatcher dispatcher =
        new WebhookDispatcher(new DeliveryQueue(dataSource), secrets, settings);
    dispatcher.start();
    hub.onCommitted(dispatcher::wake);
    return dispatcher;
  }

  @Bean
  WebhookHandler webhookHandler(
      Webhooks webhooks,
      WebhookSecrets secrets,
      WebhookSettings settings,
      WebhookDispatcher dispatcher,
      JsonMapper json) {
    return new WebhookHandler(webhooks, secrets, settings, dispatcher, json);
  }

  @Bean
  RouterFunction<ServerResponse> webhookRoutes(WebhookHandler webhooks, MerchantApi merchantApi) {
    return RouterFunctions.route()
        .POST("/v1/webhooks", webhooks::create)
        .GET("/v1/webhooks", webhooks::list)
        .DELETE("/v1/webhooks/{id}", webhooks::delete)
        .GET("/v1/webhooks/{id}/deliveries", webhooks::deliveries)
        .POST("/v1/webhooks/{id}/deliveries/{delivery}/retry", webhooks::retry)
        .filter(merchantApi.authenticated())
        .build();
  }
}
