package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open live stream does not hold Inlet's shutdown: it is ended at SIGTERM, before the web
 * server's graceful shutdown, which would otherwise wait 30 s for it (a separate JVM: closing a
 * second Inlet in this one would stop the shared Reactor Netty resources of the others).
 */
class EventStreamShutdownTest {
  @TempDir Path dataDir;

  @Test
  void sigtermEndsOpenStreamsInsteadOfWaitingForThem() throws Exception {
    int port = ChildInlet.freePort();
    Process inlet = ChildInlet.start(dataDir, port, ChildInlet.freePort());
    try {
      ChildInlet.awaitReady(port);
      HttpResponse<String> created =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + port + "/admin/merchants"))
                      .header("Authorization", "Bearer " + TestInlet.adminToken)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"leaving\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(201);
      String key = TestInlet.json.readTree(created.body()).get("api_key").asString();
      SseClient client = SseClient.open("http://localhost:" + port + "/v1/events", key);
      client.awaitSubscribed();

      long started = System.nanoTime();
      inlet.destroy(); // SIGTERM
      assertThat(client.nextEvent(Duration.ofSeconds(15))).isSameAs(SseClient.end);
      assertThat(inlet.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
      client.close();
    } finally {
      inlet.destroyForcibly();
    }
  }
}
