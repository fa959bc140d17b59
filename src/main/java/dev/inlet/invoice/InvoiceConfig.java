package dev.inlet.invoice;

import dev.inlet.admission.ConnectionQuota;
import dev.inlet.admission.InvoiceAccountIds;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.merchant.MerchantApi;
import dev.inlet.spsp.SpspResponder;
import dev.inlet.uplink.IlpIdentity;
import java.time.Clock;
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
 * Wires invoices: their store, the merchant API's {@code /v1/invoices} routes, each invoice's
 * payment pointer ({@code /invoices/{id}}) and the expiry worker ({@code inlet.invoice.*}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InvoiceSettings.class)
class InvoiceConfig {

  @Bean
  @DependsOn("flywayInitializer")
  Invoices invoices(DataSource dataSource) {
    return new Invoices(dataSource);
  }

  @Bean
  InvoiceHandler invoiceHandler(Invoices invoices, InvoiceSettings settings, JsonMapper json) {
    return new InvoiceHandler(invoices, settings, json, Clock.systemUTC());
  }

  @Bean
  InvoiceSpspHandler invoiceSpspHandler(
      Invoices invoices,
      ConnectionTokens tokens,
      IlpIdentity identity,
      ConnectionQuota quota,
      InvoiceAccountIds invoiceAccounts) {
    return new InvoiceSpspHandler(
        invoices, new SpspResponder(tokens, identity.address().value()), quota, invoiceAccounts);
  }

  /** Every {@code inlet.invoice.expiry-interval}, on every replica; stopped before the database. */
  @Bean(destroyMethod = "close")
  InvoiceExpiry invoiceExpiry(DataSource dataSource, Invoices invoices, InvoiceSettings settings) {
    InvoiceExpiry expiry = new InvoiceExpiry(dataSource);
    expiry.start(settings.expiryInterval());
    return expiry;
  }

  @Bean
  RouterFunction<ServerResponse> invoiceRoutes(InvoiceHandler handler, MerchantApi merchantApi) {
    return RouterFunctions.route()
        .POST(MerchantApi.prefix + "/invoices", handler::create)
        .GET(MerchantApi.prefix + "/invoices", handler::list)
        .GET(MerchantApi.prefix + "/invoices/{id}", handler::invoice)
        .POST(MerchantApi.prefix + "/invoices/{id}/cancel", handler::cancel)
        .filter(merchantApi.authenticated())
        .build();
  }

  /**
   * Invoice payment pointers: no authentication, CORS ({@code Routes}) and the per-client SPSP rate
   * ({@code SpspRateLimit}) as for accounts.
   */
  @Bean
  RouterFunction<ServerResponse> invoicePointerRoutes(InvoiceSpspHandler handler) {
    return RouterFunctions.route().GET("/invoices/{id}", handler::pointer).build();
  }
}
