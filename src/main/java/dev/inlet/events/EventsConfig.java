package dev.inlet.events;

import com.zaxxer.hikari.HikariDataSource;
import dev.inlet.merchant.MerchantApi;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Wires the event stream: store, hub, retention and {@code GET /v1/events}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventSettings.class)
class EventsConfig {

  @Bean
  @DependsOn("flywayInitializer")
  EventStore eventStore(DataSource dataSource) {
    return new EventStore(dataSource);
  }

  /** Started here, before the web server takes requests, so no stream subscribes before it. */
  @Bean(destroyMethod = "close")
  EventHub eventHub(EventStore store, DataSource dataSource, EventSettings settings)
      throws SQLException {
    EventHub hub =
        new EventHub(listenConnections(dataSource), settings.pollInterval(), settings.readGap());
    hub.start();
    return hub;
  }

  /**
   * Ends the live streams before the web server's graceful shutdown, which would otherwise wait for
   * them (they never end by themselves); clients reconnect to another replica.
   */
  @Bean
  SmartLifecycle eventStreamsShutdown(EventHub hub) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        running = true;
      }

      @Override
      public void stop() {
        hub.endStreams();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      // After the web server's graceful shutdown phase (DEFAULT_PHASE - 1024) in stop order.
      @Override
      public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
      }
    };
  }

  @Bean(destroyMethod = "close")
  EventRetention eventRetention(EventStore store, EventSettings settings) {
    return new EventRetention(store, settings.retention(), settings.retentionInterval());
  }

  @Bean
  EventsHandler eventsHandler(EventStore store, EventHub hub, EventSettings settings) {
    return new EventsHandler(store, hub, settings);
  }

  @Bean
  RouterFunction<ServerResponse> eventRoutes(EventsHandler events, MerchantApi merchantApi) {
    return RouterFunctions.route()
        .GET(MerchantApi.prefix + "/events", events::events)
        .filter(merchantApi.authenticated())
        .build();
  }

  /**
   * The hub's own connection, outside the pool (it is held for ever and waits on its socket): to
   * the pool's URL with its credentials and driver properties, so it reaches the embedded database
   * as the pool does. A pool of another kind lends one of its connections for good instead.
   */
  static EventHub.ConnectionFactory listenConnections(DataSource dataSource) {
    if (!(dataSource instanceof HikariDataSource pool)) {
      return dataSource::getConnection;
    }
    return () -> {
      Properties p = new Properties();
      p.putAll(pool.getDataSourceProperties());
      if (pool.getUsername() != null) {
        p.setProperty("user", pool.getUsername());
      }
      if (pool.getPassword() != null) {
        p.setProperty("password", pool.getPassword());
      }
      p.setProperty("ApplicationName", "inlet-event-hub");
      p.setProperty("tcpKeepAlive", "true");
      // Its statements are short reads; a connection that hangs is dropped and made again.
      p.setProperty("socketTimeout", "30");
      return DriverManager.getConnection(pool.getJdbcUrl(), p);
    };
  }
}
