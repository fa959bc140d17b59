package dev.inlet.uplink;

import dev.inlet.codec.ilp.IldcpResponse;
import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.config.InletSettings;
import dev.inlet.stream.StreamReceiver;
import dev.inlet.transport.PacketMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the uplink ({@code INLET_UPLINK_URL}), Inlet's {@link IlpIdentity} (from the settings, or
 * from the parent over ILDCP), the uplink's readiness contributor and its metrics.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UplinkSettings.class)
class UplinkConfig {
  private static final Logger log = LoggerFactory.getLogger(UplinkConfig.class);

  /** Inlet's address when neither INLET_ILP_ADDRESS nor an uplink says otherwise. */
  static final String defaultIlpAddress = "test.inlet";

  /** Longest asset code taken from the parent, as for INLET_ASSET_CODE. */
  static final int maxAssetCodeChars = 16;

  /**
   * The uplink, connecting (BTP) from here on; a link that refuses every send when no URL is set.
   *
   * @throws IllegalStateException when a setting cannot work (naming it)
   */
  @Bean(destroyMethod = "close")
  Uplink uplink(UplinkSettings settings, MeterRegistry registry) {
    Optional<UplinkUrl> url = settings.validate();
    Uplink link;
    if (url.isEmpty()) {
      link = new NoUplink();
    } else if (url.get().btp()) {
      BtpUplink btp = new BtpUplink(url.get(), settings, Clock.systemUTC());
      btp.start();
      link = btp;
    } else {
      if (settings.token().isEmpty()) {
        log.warn("INLET_UPLINK_TOKEN is not set: Prepares go to the parent without a bearer token");
      }
      link =
          new HttpUplink(
              url.get().endpoint(),
              settings.token(),
              settings.connectTimeout(),
              settings.expiryMargin(),
              settings.maxInFlight(),
              Clock.systemUTC());
    }
    url.ifPresent(u -> log.info("Uplink to {}", u.redacted()));
    return new MeteredUplink(link, registry);
  }

  /**
   * From INLET_ILP_ADDRESS and the asset settings; with an uplink and no address, from the parent
   * over ILDCP — startup waits for it, at most INLET_UPLINK_ILDCP_TIMEOUT, then fails.
   */
  @Bean
  IlpIdentity ilpIdentity(InletSettings inlet, UplinkSettings settings, Uplink uplink)
      throws InterruptedException {
    String address = inlet.ilpAddress();
    if (address != null && !address.isBlank()) {
      return new IlpIdentity(IlpAddress.of(address), inlet.assetCode(), inlet.assetScale());
    }
    if (!settings.configured()) {
      return new IlpIdentity(
          IlpAddress.of(defaultIlpAddress), inlet.assetCode(), inlet.assetScale());
    }
    String where = UplinkUrl.parse(settings.url().orElseThrow()).redacted();
    IldcpResponse parent =
        IldcpFetch.fetch(uplink, settings.ildcpTimeout(), Clock.systemUTC(), where);
    String code = parent.assetCode();
    if (code.isBlank() || code.length() > maxAssetCodeChars) {
      // As INLET_ASSET_CODE must be: accounts are created in this asset.
      throw new IllegalStateException(
          "The parent at "
              + where
              + " gave asset code \""
              + code
              + "\" over ILDCP: not 1 to "
              + maxAssetCodeChars
              + " characters");
    }
    return new IlpIdentity(parent.clientAddress(), code, parent.assetScale());
  }

  /** The {@code uplink} health contributor, in the readiness group ({@code application.yaml}). */
  @Bean
  UplinkHealth uplinkHealthIndicator(Uplink uplink, UplinkSettings settings) {
    String kind = settings.url().map(u -> UplinkUrl.parse(u).btp() ? "btp" : "http").orElse("none");
    return new UplinkHealth(uplink, kind);
  }

  /**
   * Prepares the BTP parent sends go to the STREAM receiver, counted as those on {@code POST /ilp}
   * are; the receiver's shutdown ({@code stopAccepting}, {@code awaitIdle}) covers them too, and
   * the uplink closes (a bean destroyed) only after that.
   */
  @Bean
  SmartInitializingSingleton uplinkServesReceiver(
      Uplink uplink, StreamReceiver receiver, MeterRegistry registry) {
    PacketMetrics metrics = new PacketMetrics(registry);
    return () ->
        uplink.serve(
            (prepare, replyOn) -> {
              long started = System.nanoTime();
              CompletableFuture<dev.inlet.codec.ilp.IlpPacket> reply =
                  receiver.receive(prepare, replyOn);
              return reply.whenComplete(
                  (packet, error) -> {
                    if (packet != null) {
                      metrics.answered(packet, started);
                    }
                  });
            });
  }
}
