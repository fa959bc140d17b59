package dev.inlet.payout;

import dev.inlet.config.Secrets;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.Sealer;
import dev.inlet.ledger.postgres.OutgoingLedger;
import dev.inlet.ledger.postgres.PostgresAccounts;
import dev.inlet.merchant.MerchantApi;
import dev.inlet.spsp.SpspClient;
import dev.inlet.uplink.IlpIdentity;
import dev.inlet.uplink.Uplink;
import dev.inlet.web.BearerAuth;
import dev.inlet.web.FailedAuthentications;
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
 * Wires money that leaves: the outgoing ledger, payouts and refunds, their sender through the
 * uplink, and their routes ({@code /v1/payouts}, {@code /v1/invoices/{id}/refunds}, {@code
 * /admin/payouts}); {@code inlet.payout.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PayoutSettings.class)
class PayoutConfig {

  @Bean(destroyMethod = "close")
  @DependsOn("flywayInitializer")
  OutgoingLedger outgoingLedger(
      DataSource dataSource, PostgresAccounts accounts, IlpIdentity identity) {
    return new OutgoingLedger(
        dataSource,
        accounts.ensureConnectorOutAccount(identity.assetCode(), identity.assetScale()));
  }

  @Bean
  @DependsOn("flywayInitializer")
  Payouts payouts(DataSource dataSource) {
    return new Payouts(dataSource);
  }

  @Bean
  InDoubtPackets inDoubtPackets(DataSource dataSource, OutgoingLedger ledger, Payouts payouts) {
    return new InDoubtPackets(dataSource, ledger, payouts);
  }

  /** Stopped before the outgoing ledger (it depends on it), so every answer it had is recorded. */
  @Bean(destroyMethod = "close")
  PayoutService payoutService(
      DataSource dataSource,
      Payouts payouts,
      OutgoingLedger ledger,
      InDoubtPackets inDoubt,
      SpspClient spsp,
      Uplink uplink,
      IlpIdentity identity,
      ConnectionTokens tokens,
      Secrets secrets,
      PayoutSettings settings) {
    return new PayoutService(
        dataSource,
        payouts,
        ledger,
        inDoubt,
        spsp,
        uplink,
        identity.address(),
        tokens,
        new Sealer(secrets.serverSecret(), "inlet payout shared secret v1"),
        settings);
  }

  @Bean
  PayoutHandler payoutHandler(
      Payouts payouts, PayoutService service, InDoubtPackets inDoubt, JsonMapper json) {
    return new PayoutHandler(payouts, service, inDoubt, json);
  }

  @Bean
  RouterFunction<ServerResponse> payoutRoutes(PayoutHandler handler, MerchantApi merchantApi) {
    return RouterFunctions.route()
        .POST(MerchantApi.prefix + "/payouts", handler::createForMerchant)
        .GET(MerchantApi.prefix + "/payouts/{id}", handler::getForMerchant)
        .POST(MerchantApi.prefix + "/invoices/{id}/refunds", handler::refund)
        .filter(merchantApi.authenticated())
        .build();
  }

  @Bean
  RouterFunction<ServerResponse> payoutAdminRoutes(
      PayoutHandler handler,
      Secrets secrets,
      @Qualifier("failedAdminAuthentications") FailedAuthentications failures) {
    return RouterFunctions.route()
        .POST("/admin/payouts", handler::createForAdmin)
        .GET("/admin/payouts/in-doubt", handler::inDoubt)
        .GET("/admin/payouts/{id}", handler::getForAdmin)
        .POST("/admin/payouts/{id}/packets/{sequence}", handler::resolve)
        .filter(BearerAuth.requiring(secrets.adminToken(), failures))
        .build();
  }
}
