package dev.inlet.voucher;

import dev.inlet.config.Secrets;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.Sealer;
import dev.inlet.crypto.TargetKind;
import dev.inlet.jobs.PeriodicJob;
import dev.inlet.merchant.MerchantApi;
import dev.inlet.payout.PayoutService;
import dev.inlet.payout.Payouts;
import dev.inlet.spsp.SpspResponder;
import dev.inlet.stream.StreamReceiver;
import dev.inlet.uplink.IlpIdentity;
import dev.inlet.uplink.Uplink;
import dev.inlet.web.BearerAuth;
import dev.inlet.web.FailedAuthentications;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires vouchers and pull-payment mandates: their stores, the connections that pay their clients
 * (told by the STREAM receiver), their routes ({@code /v1/vouchers}, {@code /v1/mandates}, the
 * {@code /admin} ones, the pointers {@code /vouchers/{code}} and {@code /mandates/{code}}) and the
 * expiry worker ({@code inlet.voucher.*}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VoucherSettings.class)
class VoucherConfig {

  @Bean
  @DependsOn("flywayInitializer")
  Vouchers vouchers(DataSource dataSource, Payouts payouts, Secrets secrets) {
    return new Vouchers(
        dataSource, payouts, new Sealer(secrets.serverSecret(), "inlet voucher code v1"));
  }

  @Bean
  @DependsOn("flywayInitializer")
  Mandates mandates(DataSource dataSource, Payouts payouts, Secrets secrets) {
    return new Mandates(
        dataSource,
        payouts,
        new Sealer(secrets.serverSecret(), "inlet mandate code v1"),
        Clock.systemUTC());
  }

  /** Told by the receiver what the clients of vouchers' and mandates' connections say. */
  @Bean(destroyMethod = "close")
  PayoutConnections payoutConnections(
      DataSource dataSource,
      Vouchers vouchers,
      Mandates mandates,
      PayoutService service,
      Payouts payouts,
      Uplink uplink,
      ConnectionTokens tokens,
      StreamReceiver receiver) {
    PayoutConnections connections =
        new PayoutConnections(
            Map.of(
                TargetKind.VOUCHER,
                new VoucherRedemptions(dataSource, payouts, vouchers),
                TargetKind.MANDATE,
                new MandatePulls(dataSource, payouts, mandates, Clock.systemUTC())),
            service,
            payouts,
            uplink,
            tokens);
    receiver.payOn(connections);
    return connections;
  }

  /** Every {@code inlet.voucher.expiry-interval}, on every replica; stopped before the database. */
  @Bean(destroyMethod = "close")
  PeriodicJob voucherExpiry(Vouchers vouchers, Mandates mandates, VoucherSettings settings) {
    return PeriodicJob.start(
        "inlet-voucher-expiry",
        settings.expiryInterval(),
        () -> {
          vouchers.expire();
          mandates.expire();
        });
  }

  @Bean
  VoucherHandler voucherHandler(Vouchers vouchers, VoucherSettings settings, JsonMapper json) {
    return new VoucherHandler(vouchers, settings, json, Clock.systemUTC());
  }

  @Bean
  MandateHandler mandateHandler(Mandates mandates, PayoutService service, JsonMapper json) {
    return new MandateHandler(mandates, service, json, Clock.systemUTC());
  }

  @Bean
  VoucherSpspHandler voucherSpspHandler(
      Vouchers vouchers, Mandates mandates, ConnectionTokens tokens, IlpIdentity identity) {
    return new VoucherSpspHandler(
        vouchers, mandates, new SpspResponder(tokens, identity.address().value()));
  }

  @Bean
  RouterFunction<ServerResponse> voucherRoutes(
      VoucherHandler vouchers, MandateHandler mandates, MerchantApi merchantApi) {
    return RouterFunctions.route()
        .POST(MerchantApi.prefix + "/vouchers", vouchers::createForMerchant)
        .GET(MerchantApi.prefix + "/vouchers", vouchers::listForMerchant)
        .GET(MerchantApi.prefix + "/vouchers/{id}", vouchers::getForMerchant)
        .POST(MerchantApi.prefix + "/vouchers/{id}/revoke", vouchers::revokeForMerchant)
        .POST(MerchantApi.prefix + "/mandates", mandates::createForMerchant)
        .GET(MerchantApi.prefix + "/mandates/{id}", mandates::getForMerchant)
        .POST(MerchantApi.prefix + "/mandates/{id}/revoke", mandates::revokeForMerchant)
        .filter(merchantApi.authenticated())
        .build();
  }

  @Bean
  RouterFunction<ServerResponse> voucherAdminRoutes(
      VoucherHandler vouchers,
      MandateHandler mandates,
      Secrets secrets,
      @Qualifier("failedAdminAuthentications") FailedAuthentications failures) {
    return RouterFunctions.route()
        .POST("/admin/vouchers", vouchers::createForAdmin)
        .GET("/admin/vouchers", vouchers::listForAdmin)
        .GET("/admin/vouchers/{id}", vouchers::getForAdmin)
        .POST("/admin/vouchers/{id}/revoke", vouchers::revokeForAdmin)
        .POST("/admin/mandates", mandates::createForAdmin)
        .GET("/admin/mandates/{id}", mandates::getForAdmin)
        .POST("/admin/mandates/{id}/revoke", mandates::revokeForAdmin)
        .filter(BearerAuth.requiring(secrets.adminToken(), failures))
        .build();
  }

  /**
   * The pointers that pay out: no authentication (the code is the right), CORS and the per-client
   * SPSP rate ({@code SpspRateLimit}) as for accounts.
   */
  @Bean
  RouterFunction<ServerResponse> voucherPointerRoutes(VoucherSpspHandler handler) {
    return RouterFunctions.route()
        .GET("/vouchers/{code}", handler::voucher)
        .GET("/mandates/{code}", handler::mandate)
        .build();
  }
}
