package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open dashboard does not hold Inlet's shutdown: its live stream is ended at SIGTERM, before the
 * web server's graceful shutdown, which would otherwise wait 30 s for it (a separate JVM, as in
 * {@link EventStreamShutdownTest}).
 */
class DashboardShutdownTest {
  @TempDir Path dataDir;

  @Test
  void sigtermEndsAnOpenDashboardsLiveStream() throws Exception {
    int port = ChildInlet.freePort();
    Process inlet = ChildInlet.start(dataDir, port, ChildInlet.freePort());
    try {
      ChildInlet.awaitReady(port);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> signIn =
          http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/sign-in"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "token="
                              + URLEncoder.encode(TestInlet.adminToken, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
      HttpResponse<Stream<String>> live =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + port + "/admin/ui/live/stream"))
                  .header("Cookie", setCookie.substring(0, setCookie.indexOf(';')))
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      assertThat(live.statusCode()).isEqualTo(200);
      Iterator<String> lines = live.body().iterator();
      assertThat(lines.next()).isEqualTo("event:connections");
      // Reads until the server ends the stream.
      CompletableFuture<Void> ended =
          CompletableFuture.runAsync(
              () -> {
                while (lines.hasNext()) {
                  lines.next();
                }
              });

      long started = System.nanoTime();
      inlet.destroy(); // SIGTERM
      ended.get(15, TimeUnit.SECONDS);
      assertThat(inlet.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    } finally {
      inlet.destroyForcibly();
    }
  }
}
