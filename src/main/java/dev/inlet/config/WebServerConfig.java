package dev.inlet.config;

import dev.inlet.web.HttpLayerProblems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web server's HTTP layer (SPSP, admin API): its own error answers carry problem documents and
 * request ids ({@link HttpLayerProblems}). Its limits are Spring Boot's settings, set in {@code
 * application.yaml}: {@code server.netty.max-initial-line-length} (the request line, else 414) and
 * {@code server.max-http-request-header-size} (all header fields together, else 431).
 */
@Configuration(proxyBeanMethods = false)
class WebServerConfig {

  @Bean
  NettyServerCustomizer httpLayerProblems(
      JsonMapper json,
      @Value("${server.netty.max-initial-line-length:4KB}") DataSize maxInitialLine,
      @Value("${server.max-http-request-header-size:8KB}") DataSize maxHeader) {
    HttpLayerProblems.Bodies bodies =
        new HttpLayerProblems.Bodies(json, maxInitialLine.toBytes(), maxHeader.toBytes());
    return server ->
        server.doOnChannelInit(
            (observer, channel, remote) -> HttpLayerProblems.install(channel.pipeline(), bodies));
  }
}
