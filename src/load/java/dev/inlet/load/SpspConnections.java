package dev.inlet.load;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.crypto.StreamKeys;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The STREAM connections a run pays on, each opened with an SPSP query: to the benchmark's account,
 * or in the invoice mode to an invoice's payment pointer.
 */
final class SpspConnections {
  private static final JsonMapper json = JsonMapper.builder().build();

  private SpspConnections() {}

  /**
   * Opens {@code n} STREAM connections with SPSP queries, at most {@code clients} at a time;
   * connection i queries {@code paths[i % paths.size()]} (e.g. {@code /bench}, {@code
   * /invoices/<id>}).
   */
  static List<PacketFactory.Connection> open(
      ReactorHttp http, int n, int clients, List<String> paths) throws InterruptedException {
    PacketFactory.Connection[] opened = new PacketFactory.Connection[n];
    Semaphore inFlight = new Semaphore(clients);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Map<String, String> accept = Map.of("Accept", "application/spsp4+json");
    for (int i = 0; i < n && failure.get() == null; i++) {
      if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("SPSP queries not answered within 60 s");
      }
      int index = i;
      http.get(paths.get(i % paths.size()), accept)
          .whenComplete(
              (r, e) -> {
                try {
                  if (e != null || r.status() != 200) {
                    failure.compareAndSet(
                        null,
                        e != null
                            ? e
                            : new IllegalStateException("SPSP " + r.status() + " " + r.text()));
                    return;
                  }
                  JsonNode spsp = json.readTree(r.body());
                  opened[index] =
                      new PacketFactory.Connection(
                          IlpAddress.of(spsp.get("destination_account").asString()),
                          StreamKeys.derive(
                              Base64.getDecoder().decode(spsp.get("shared_secret").asString())));
                } catch (RuntimeException x) {
                  failure.compareAndSet(null, x);
                } finally {
                  inFlight.release();
                }
              });
    }
    if (!inFlight.tryAcquire(clients, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("SPSP queries not answered within 60 s");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("SPSP query failed: " + failure.get(), failure.get());
    }
    return List.of(opened);
  }
}
