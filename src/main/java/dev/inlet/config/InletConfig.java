package dev.inlet.config;

import dev.inlet.admin.AdminHandler;
import dev.inlet.admission.AdmissionPolicy;
import dev.inlet.admission.ConnectionQuota;
import dev.inlet.admission.PacketGate;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.ledger.postgres.LedgerMetrics;
import dev.inlet.ledger.postgres.PostgresAccounts;
import dev.inlet.ledger.postgres.PostgresConnectionPruner;
import dev.inlet.ledger.postgres.PostgresLedger;
import dev.inlet.merchant.Merchants;
import dev.inlet.spsp.SpspHandler;
import dev.inlet.stream.ReceiverLimits;
import dev.inlet.stream.StreamReceiver;
import dev.inlet.transport.IlpHttpServer;
import dev.inlet.transport.IlpOverHttp;
import dev.inlet.transport.PacketMetrics;
import dev.inlet.uplink.IlpIdentity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/** Wires the receiver: pure protocol core, PostgreSQL ledger, and the HTTP handlers around them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({InletSettings.class, LedgerSettings.class})
class InletConfig {
  private static final Logger log = LoggerFactory.getLogger(InletConfig.class);

  /** As long as Spring's default for a shutdown phase: the ledger answers within a commit. */
  private static final Duration answerTimeoutOnShutdown = Duration.ofSeconds(30);

  @Bean
  Secrets secrets(InletSettings settings) {
    SettingsValidator.validate(settings);
    return Secrets.resolve(settings);
  }

  @Bean
  ConnectionTokens connectionTokens(Secrets secrets) {
    return new ConnectionTokens(secrets.serverSecret());
  }

  @Bean
  @DependsOn("flywayInitializer")
  PostgresAccounts accounts(DataSource dataSource) {
    return new PostgresAccounts(dataSource);
  }

  @Bean(destroyMethod = "close")
  PostgresLedger ledger(
      DataSource dataSource,
      PostgresAccounts accounts,
      IlpIdentity identity,
      MeterRegistry registry,
      AdmissionPolicy admission,
      LedgerSettings ledgerSettings) {
    long connector = accounts.ensureConnectorAccount(identity.assetCode(), identity.assetScale());
    return new PostgresLedger(
        dataSource,
        connector,
        ReceiverLimits.maxDataBytesPerConnection,
        ReceiverLimits.maxCachedConnections,
        Clock.systemUTC(),
        new LedgerMetrics(registry, identity.assetCode(), identity.assetScale()),
        admission::maxConnectionAmount,
        ledgerSettings.commitDelay());
  }

  /**
   * Deletes connections that never received money once idle ({@code
   * INLET_UNPAID_CONNECTION_MAX_IDLE}), every {@code INLET_UNPAID_CONNECTION_PRUNE_INTERVAL}; not
   * scheduled when the idle time is 0. After the migrations (the accounts bean waits for them);
   * closed before the database.
   */
  @Bean(destroyMethod = "close")
  PostgresConnectionPruner connectionPruner(
      DataSource dataSource,
      PostgresAccounts accounts,
      InletSettings settings,
      MeterRegistry registry) {
    PostgresConnectionPruner pruner =
        new PostgresConnectionPruner(dataSource, settings.unpaidConnectionMaxIdle(), registry);
    if (settings.unpaidConnectionMaxIdle().isZero()) {
      log.info("Connections without money are kept for ever (INLET_UNPAID_CONNECTION_MAX_IDLE=0)");
    } else {
      pruner.start(settings.unpaidConnectionPruneInterval());
    }
    return pruner;
  }

  /**
   * {@code inlet_connections_open}: connections not closed with a packet in the last five minutes.
   */
  @Bean
  Gauge openConnectionsGauge(PostgresAccounts accounts, MeterRegistry registry) {
    Duration idle = Duration.ofMinutes(5);
    return Gauge.builder("inlet.connections.open", accounts, a -> a.openConnections(idle))
        .description("STREAM connections not closed that had a packet in the last 5 minutes")
        .register(registry);
  }

  @Bean
  StreamReceiver streamReceiver(
      IlpIdentity identity, ConnectionTokens tokens, PostgresLedger ledger, PacketGate gate) {
    return new StreamReceiver(
        identity.address(),
        identity.assetCode(),
        identity.assetScale(),
        tokens,
        ledger,
        Clock.systemUTC(),
        gate);
  }

  /**
   * On shutdown the receiver stops taking Prepares first — before the ILP-over-HTTP listener and
   * the web server stop and before the ledger drains — and the Prepares it took are answered, so
   * every credited packet is answered. The listener, still open meanwhile, writes those answers; it
   * stops next ({@link IlpHttpServer#stop}).
   */
  @Bean
  ApplicationListener<ContextClosedEvent> stopReceivingOnShutdown(StreamReceiver receiver) {
    return event -> {
      receiver.stopAccepting();
      try {
        if (!receiver.awaitIdle(answerTimeoutOnShutdown)) {
          log.warn(
              "Shutting down with Prepares still unanswered after {}", answerTimeoutOnShutdown);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Bean
  IlpOverHttp ilpOverHttp(
      StreamReceiver receiver,
      MeterRegistry registry,
      Secrets secrets,
      JsonMapper json,
      InletSettings settings) {
    return new IlpOverHttp(
        receiver,
        new PacketMetrics(registry),
        secrets.connectorToken(),
        json,
        settings.idleTimeout(),
        settings.ilpRequestTimeout());
  }

  /**
   * ILP-over-HTTP on its own port ({@code INLET_ILP_PORT}), on the web server's interface ({@code
   * server.address}).
   */
  @Bean
  IlpHttpServer ilpHttpServer(IlpOverHttp ilp, InletSettings settings, Environment environment)
      throws UnknownHostException {
    String address = environment.getProperty("server.address");
    return new IlpHttpServer(
        ilp,
        address == null || address.isBlank() ? null : InetAddress.getByName(address),
        settings.ilpPort());
  }

  @Bean
  SpspHandler spspHandler(
      PostgresAccounts accounts,
      ConnectionTokens tokens,
      IlpIdentity identity,
      InletSettings settings,
      ConnectionQuota quota,
      JsonMapper json) {
    return new SpspHandler(
        accounts, tokens, identity.address().value(), settings.defaultAccount(), quota, json);
  }

  @Bean
  AdminHandler adminHandler(
      PostgresAccounts accounts, Merchants merchants, JsonMapper json, IlpIdentity identity) {
    return new AdminHandler(accounts, merchants, json, identity.assetCode(), identity.assetScale());
  }
}
