package dev.inlet.admission;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.inlet.config.Secrets;
import dev.inlet.jobs.PeriodicJob;
import dev.inlet.ledger.Accounts;
import dev.inlet.merchant.MerchantApi;
import dev.inlet.web.BearerAuth;
import dev.inlet.web.ClientAddresses;
import dev.inlet.web.FailedAuthentications;
import dev.inlet.web.KeyedRateLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires admission control: the client address filter, the limits in force, the receiver's packet
 * gate, the SPSP and API rate limits, the connection quota, and the routes ({@code
 * /v1/accounts/{name}/admission}, {@code /admin/accounts/{name}/limits}, {@code
 * /admin/admission/refusals}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdmissionSettings.class)
public class AdmissionConfig {
  /** How often each replica reads the accounts' limits again (changes made through another). */
  public static final Duration reloadInterval = Duration.ofSeconds(5);

  /** First of the web filters: everything after sees the client's address. */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  ClientAddresses clientAddresses(AdmissionSettings settings) {
    return new ClientAddresses(settings.trustedProxies());
  }

  @Bean
  Refusals refusals(MeterRegistry registry) {
    return new Refusals(registry, Clock.systemUTC());
  }

  @Bean
  @DependsOn("flywayInitializer")
  AccountLimitsStore accountLimitsStore(DataSource dataSource) {
    return new AccountLimitsStore(dataSource);
  }

  @Bean
  AdmissionPolicy admissionPolicy(AccountLimitsStore store, AdmissionSettings settings) {
    AdmissionPolicy policy = new AdmissionPolicy(store, settings.defaults());
    policy.reload();
    return policy;
  }

  @Bean(destroyMethod = "close")
  PeriodicJob admissionPolicyReload(AdmissionPolicy policy) {
    return PeriodicJob.start("admission-limits-reload", reloadInterval, policy::reload);
  }

  @Bean(destroyMethod = "close")
  InvoiceAccountIds invoiceAccountIds(AccountLimitsStore store) {
    return new InvoiceAccountIds(store::invoiceAccount);
  }

  @Bean
  PacketGate packetGate(
      AdmissionPolicy policy,
      Refusals refusals,
      AdmissionSettings settings,
      InvoiceAccountIds invoices) {
    return new PacketGate(policy, refusals, settings.flowRateWindow(), invoices);
  }

  @Bean
  ConnectionQuota connectionQuota(
      AccountLimitsStore store,
      AdmissionPolicy policy,
      Refusals refusals,
      AdmissionSettings settings) {
    long idleSeconds = settings.openConnectionIdle().toSeconds();
    return new ConnectionQuota(
        accountId -> store.openConnections(accountId, idleSeconds),
        policy,
        refusals,
        settings.maxOpenConnections(),
        task -> Schedulers.boundedElastic().schedule(task),
        Ticker.systemTicker());
  }

  /** After the client's address and CORS, before routing. */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 2)
  SpspRateLimit spspRateLimit(AdmissionSettings settings, Refusals refusals, JsonMapper json) {
    return new SpspRateLimit(
        new KeyedRateLimits(settings.spspRatePerClient(), settings.spspBurstPerClient()),
        refusals,
        json,
        settings.spspBurstPerClient());
  }

  /**
   * The same limit on each HTTP/1.1 connection's event loop, ahead of WebFlux, which also answers
   * there the admitted queries {@code answers} can.
   */
  @Bean
  NettyServerCustomizer spspEarlyHandler(
      SpspRateLimit limit,
      ClientAddresses addresses,
      EarlySpspAnswers answers,
      MeterRegistry registry) {
    Counter answered =
        Counter.builder("inlet.spsp.early.answers")
            .description("SPSP queries answered on the event loop, not in http.server.requests")
            .register(registry);
    return server ->
        server.doOnChannelInit(
            (observer, channel, remote) ->
                SpspEarlyHandler.install(channel.pipeline(), limit, addresses, answers, answered));
  }

  /** Applied by {@link MerchantApi} after the API key filter. */
  @Bean
  HandlerFilterFunction<ServerResponse, ServerResponse> merchantApiRateLimit(
      AdmissionSettings settings, Refusals refusals) {
    return new ApiRateLimit(
            new KeyedRateLimits(settings.apiRatePerKey(), settings.apiBurstPerKey()), refusals)
        .perKey();
  }

  @Bean
  AdmissionHandler admissionHandler(
      Accounts accounts,
      AdmissionPolicy policy,
      ConnectionQuota quota,
      Refusals refusals,
      JsonMapper json) {
    return new AdmissionHandler(accounts, policy, quota, refusals, json);
  }

  @Bean
  RouterFunction<ServerResponse> admissionRoutes(
      AdmissionHandler handler, MerchantApi merchantApi) {
    return RouterFunctions.route()
        .GET(MerchantApi.prefix + "/accounts/{name}/admission", handler::check)
        .filter(merchantApi.authenticated())
        .build();
  }

  @Bean
  RouterFunction<ServerResponse> admissionAdminRoutes(
      AdmissionHandler handler,
      Secrets secrets,
      @Qualifier("failedAdminAuthentications") FailedAuthentications failures) {
    return RouterFunctions.route()
        .GET("/admin/accounts/{name}/limits", handler::limits)
        .PUT("/admin/accounts/{name}/limits", handler::setLimits)
        .GET("/admin/admission/refusals", handler::recentRefusals)
        .filter(BearerAuth.requiring(secrets.adminToken(), failures))
        .build();
  }
}
