package dev.inlet.spsp;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the SPSP client that payouts resolve receivers with ({@code inlet.spsp.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SpspClientSettings.class)
class SpspClientConfig {

  @Bean
  SpspClient spspClient(SpspClientSettings settings) {
    return new SpspClient(settings);
  }
}
