package dev.inlet.admin.ui;

import dev.inlet.admission.Refusals;
import dev.inlet.config.Secrets;
import dev.inlet.invoice.Invoices;
import dev.inlet.payout.InDoubtPackets;
import dev.inlet.voucher.Vouchers;
import dev.inlet.web.FailedAuthentications;
import dev.inlet.webhook.Webhooks;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin dashboard's routes, ahead of SPSP's {@code GET /{account}} (which would take {@code
 * /admin}): {@code GET /admin} (sign-in form or overview), {@code POST /admin/sign-in}, and the
 * session-guarded pages under {@code /admin/ui/} (see docs/admin-api.md). Its scripts and styles
 * are at {@code /admin/ui/assets/}, uPlot at {@code /webjars/uplot/}.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfig {
  /** How long a dashboard session lasts from sign-in. */
  static final Duration sessionLifetime = Duration.ofHours(8);

  @Bean
  DashboardSessions dashboardSessions(Secrets secrets) {
    return new DashboardSessions(
        secrets.serverSecret(), secrets.adminToken(), sessionLifetime, Clock.systemUTC());
  }

  @Bean
  LiveConnections dashboardLiveConnections(
      DataSource dataSource, JsonMapper json, MeterRegistry meters) {
    return new LiveConnections(dataSource, json, meters);
  }

  /**
   * Ends the dashboards' live streams before the web server's graceful shutdown, which would
   * otherwise wait for them (as {@code dev.inlet.events.EventsConfig} does for {@code /v1/events}).
   */
  @Bean
  SmartLifecycle dashboardStreamsShutdown(LiveConnections live) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        running = true;
      }

      @Override
      public void stop() {
        live.endStreams();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      // Higher phases stop first: before the web server's graceful shutdown (DEFAULT_PHASE - 1024).
      @Override
      public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
      }
    };
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  RouterFunction<ServerResponse> dashboardRoutes(
      DashboardSessions sessions,
      LiveConnections live,
      Secrets secrets,
      FailedAuthentications failedAdminAuthentications,
      DataSource dataSource,
      JsonMapper json,
      Invoices invoices,
      Webhooks webhooks,
      InDoubtPackets inDoubt,
      Vouchers vouchers,
      Refusals refusals) {
    OverviewHandler overview = new OverviewHandler(dataSource, json);
    SignInHandler signIn =
        new SignInHandler(sessions, secrets.adminToken(), failedAdminAuthentications, overview);
    InvoicesPage invoicePages = new InvoicesPage(dataSource, invoices);
    PaymentsPage paymentPages = new PaymentsPage(dataSource);
    PayoutsPage payoutPages = new PayoutsPage(dataSource, inDoubt);
    EventsPage eventPages = new EventsPage(dataSource, json);
    WebhooksPage webhookPages = new WebhooksPage(dataSource, webhooks);
    VouchersPage voucherPages = new VouchersPage(dataSource, vouchers);
    // A new table: one TablePage subclass, one template, one entry here.
    List<TablePage> tables =
        List.of(invoicePages, paymentPages, payoutPages, voucherPages, eventPages, webhookPages);
    String ui = Pages.base;
    RouterFunctions.Builder pages = RouterFunctions.route();
    for (TablePage table : tables) {
      pages.GET(ui + "/" + table.name(), table::list);
    }
    RouterFunction<ServerResponse> guarded =
        pages
            .GET(ui + "/live", live::page)
            .GET(ui + "/live/stream", live::stream)
            .GET(ui + "/refusals", new RefusalsPage(refusals)::page)
            .GET(ui + "/invoices/{id}", invoicePages::detail)
            .GET(ui + "/invoices/{id}/cancel", invoicePages::confirmCancel)
            .POST(ui + "/invoices/{id}/cancel", invoicePages::cancel)
            .GET(ui + "/payments/{id}", paymentPages::detail)
            .GET(ui + "/payouts/{id}", payoutPages::detail)
            .GET(ui + "/payouts/{id}/packets/{sequence}/resolve", payoutPages::confirmResolve)
            .POST(ui + "/payouts/{id}/packets/{sequence}/resolve", payoutPages::resolve)
            .GET(ui + "/vouchers/{id}", voucherPages::detail)
            .GET(ui + "/vouchers/{id}/revoke", voucherPages::confirmRevoke)
            .POST(ui + "/vouchers/{id}/revoke", voucherPages::revoke)
            .GET(ui + "/events/{id}", eventPages::detail)
            .GET(ui + "/webhooks/{id}", webhookPages::detail)
            .POST(ui + "/webhooks/{id}/deliveries/{delivery}/retry", webhookPages::retry)
            .POST("/admin/sign-out", signIn::signOut)
            .filter(DashboardAuth.requiringSession(sessions))
            .build();
    return RouterFunctions.route()
        .GET("/admin", signIn::home)
        .POST("/admin/sign-in", signIn::signIn)
        .build()
        .and(RouterFunctions.resources(ui + "/assets/**", new ClassPathResource("admin-ui/")))
        .and(guarded);
  }
}
