package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.stream.StreamMoney;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * SIGTERM while packets are in flight on the ILP-over-HTTP port: Inlet stops taking new Prepares,
 * finishes and commits those it has, writes their answers, then closes the listener and exits.
 * Afterwards every Fulfill the sender got is credited, and nothing is credited that the sender was
 * not told about.
 */
class GracefulShutdownTest {
  @TempDir Path dataDir;

  @Test
  void everyFulfilledPacketIsCreditedAndNoCreditedPacketIsUnanswered() throws Exception {
    int port = ChildInlet.freePort();
    int ilpPort = ChildInlet.freePort();
    Process inlet = ChildInlet.start(dataDir, port, ilpPort);
    try {
      ChildInlet.awaitReady(port);
      String admin = "Bearer " + TestInlet.adminToken;
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      send(
          http,
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/accounts"))
              .header("Authorization", admin)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"kim\"}")));
      JsonNode spsp =
          TestInlet.json.readTree(
              send(http, HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/kim")))
                  .body());
      IlpAddress destination = IlpAddress.of(spsp.get("destination_account").asString());
      TestSender sender =
          TestSender.of(
              destination, Base64.getDecoder().decode(spsp.get("shared_secret").asString()));

      AtomicLong sequence = new AtomicLong();
      LongAdder fulfilledAmount = new LongAdder();
      LongAdder fulfilledPackets = new LongAdder();
      ExecutorService senders = Executors.newFixedThreadPool(8);
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        running.add(
            senders.submit(
                () -> {
                  // Each sender keeps going until Inlet no longer answers.
                  while (true) {
                    long seq = sequence.incrementAndGet();
                    long amount = 1 + seq % 97;
                    byte[] body =
                        IlpCodec.encode(sender.prepare(amount, seq, 0, new StreamMoney(1, 1)));
                    HttpResponse<byte[]> response;
                    try {
                      response =
                          http.send(
                              HttpRequest.newBuilder(
                                      URI.create("http://localhost:" + ilpPort + "/ilp"))
                                  .header("Authorization", "Bearer " + TestInlet.connectorToken)
                                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                  .build(),
                              HttpResponse.BodyHandlers.ofByteArray());
                    } catch (IOException e) {
                      return null;
                    }
                    if (response.statusCode() != 200) {
                      return null;
                    }
                    IlpPacket reply = IlpCodec.decode(response.body());
                    if (reply instanceof IlpFulfill) {
                      fulfilledAmount.add(amount);
                      fulfilledPackets.increment();
                    }
                  }
                }));
      }
      Thread.sleep(1_500);
      assertThat(fulfilledPackets.sum()).as("packets fulfilled before SIGTERM").isPositive();
      inlet.destroy(); // SIGTERM
      assertThat(inlet.waitFor(60, TimeUnit.SECONDS)).as("Inlet exits after SIGTERM").isTrue();
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      senders.shutdown();

      try (TestInlet again = TestInlet.start(dataDir)) {
        assertThat(again.balance("kim")).isEqualTo(fulfilledAmount.sum());
        JsonNode connection =
            TestInlet.json
                .readTree(again.adminGet("/admin/accounts/kim/connections").body())
                .get("connections")
                .get(0);
        assertThat(connection.get("packets_fulfilled").asLong()).isEqualTo(fulfilledPackets.sum());
        assertThat(again.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
      }
    } finally {
      inlet.destroyForcibly();
    }
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request)
      throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
