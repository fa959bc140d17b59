package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.warmup.PacketPathWarmup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The self-warm-up ({@code inlet.warmup}): it has run when Inlet reports ready, it moved no money
 * and left no row, connection or metric behind, and 0s turns it off.
 */
class WarmupTest {
  @TempDir Path warmedDir;
  @TempDir Path coldDir;

  /** What one start of Inlet showed. */
  private record Start(PacketPathWarmup.Result atReadiness, Map<String, Long> rows) {}

  @Test
  void runsBeforeReadinessAndLeavesNoRowBalanceOrConnectionBehind() throws Exception {
    Start cold = start(coldDir, "0s", inlet -> {});
    Start warmed =
        start(
            warmedDir,
            "2s",
            inlet -> {
              JsonNode check =
                  TestInlet.json.readTree(inlet.adminGet("/admin/ledger/check").body());
              assertThat(check.path("consistent").asBoolean()).isTrue();
              assertThat(check.path("credited").asString()).isEqualTo("0");
              assertThat(check.path("packets").asLong()).isZero();
              // Inlet's own packet metrics saw nothing: the warm-up had a registry of its own.
              HttpResponse<String> metrics =
                  inlet.send(
                      java.net.http.HttpRequest.newBuilder(
                              java.net.URI.create(inlet.managementUrl("/actuator/prometheus")))
                          .GET());
              assertThat(metrics.body())
                  .doesNotContainPattern("(?m)^inlet_prepares_total\\{[^}]*\\} [1-9]")
                  .doesNotContainPattern(
                      "(?m)^inlet_packet_handling_seconds_count\\{[^}]*\\} [1-9]");
            });

    PacketPathWarmup.Result w = warmed.atReadiness();
    assertThat(w.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(w.failures()).isZero();
    assertThat(w.packets()).isGreaterThan(100);
    // One in sixteen is a rate probe, rejected; the rest are fulfilled.
    assertThat(w.fulfilled()).isGreaterThan(w.packets() * 9 / 10).isLessThan(w.packets());
    // Its listener is closed: nothing of it is left to connect to.
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), w.port()).close())
        .isInstanceOf(IOException.class);
    // Row for row, the warmed Inlet's database is the one a start without warm-up leaves.
    assertThat(warmed.rows()).isEqualTo(cold.rows());

    assertThat(cold.atReadiness()).isEqualTo(PacketPathWarmup.Result.none);
  }

  private interface Check {
    void on(TestInlet inlet) throws Exception;
  }

  /**
   * Starts Inlet with {@code inlet.warmup=warmup}, takes the warm-up's result when readiness turns
   * to accepting traffic, runs {@code check}, counts every table's rows and stops it.
   */
  private static Start start(Path dir, String warmup, Check check) throws Exception {
    AtomicReference<PacketPathWarmup.Result> atReadiness = new AtomicReference<>();
    ApplicationListener<ApplicationEvent> listener =
        event -> {
          if (event instanceof AvailabilityChangeEvent<?> change
              && change.getState() == ReadinessState.ACCEPTING_TRAFFIC
              && event.getSource() instanceof ApplicationContext context) {
            atReadiness.set(context.getBean(PacketPathWarmup.class).last());
          }
        };
    try (TestInlet inlet = TestInlet.start(dir, Map.of("inlet.warmup", warmup), listener)) {
      assertThat(atReadiness.get()).as("readiness reported").isNotNull();
      check.on(inlet);
      return new Start(atReadiness.get(), rows(inlet));
    }
  }

  private static Map<String, Long> rows(TestInlet inlet) {
    JdbcClient jdbc = JdbcClient.create(inlet.bean(DataSource.class));
    List<String> tables =
        jdbc.sql(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'flyway%'")
            .query(String.class)
            .list();
    Map<String, Long> rows = new TreeMap<>();
    for (String table : tables) {
      rows.put(
          table, jdbc.sql("SELECT count(*) FROM \"" + table + "\"").query(Long.class).single());
    }
    assertThat(rows).isNotEmpty();
    return rows;
  }
}
