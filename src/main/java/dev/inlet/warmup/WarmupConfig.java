package dev.inlet.warmup;

import dev.inlet.config.Secrets;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.uplink.IlpIdentity;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the self-warm-up. It runs as an {@link ApplicationRunner}: Spring Boot calls the runners
 * after the context has started and reports readiness ({@code ReadinessState.ACCEPTING_TRAFFIC},
 * {@code /readyz}) only once they have returned, so a Kubernetes Service or load balancer sends
 * nothing to Inlet before its packet path is warm.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarmupSettings.class)
class WarmupConfig {
  @Bean
  PacketPathWarmup packetPathWarmup(
      IlpIdentity identity,
      ConnectionTokens tokens,
      Secrets secrets,
      JsonMapper json,
      WarmupSettings settings) {
    return new PacketPathWarmup(
        identity.address(),
        identity.assetCode(),
        identity.assetScale(),
        tokens,
        secrets.connectorToken(),
        json,
        settings.warmup());
  }

  @Bean
  ApplicationRunner warmUpBeforeReadiness(PacketPathWarmup warmup) {
    return args -> warmup.run();
  }
}
