package dev.inlet.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * One live event stream, {@code GET /v1/events} with {@code Accept: text/event-stream}, read on its
 * own daemon thread: counts the events it receives (each id once) and, when Inlet ends the stream
 * (a client too slow for its buffer is disconnected), reconnects with {@code Last-Event-ID}, as a
 * merchant's client does.
 */
final class EventStream implements AutoCloseable {
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI uri;
  private final String apiKey;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Stream<String> lines;
  final LongAdder received = new LongAdder();
  final LongAdder reconnects = new LongAdder();
  final AtomicLong lastId = new AtomicLong();

  EventStream(int port, String apiKey) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/v1/events");
    this.apiKey = apiKey;
    this.thread = new Thread(this::read, "load-sse");
    thread.setDaemon(true);
    thread.start();
  }

  private void read() {
    while (!closed) {
      try {
        HttpRequest.Builder b =
            HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + apiKey);
        if (lastId.get() > 0) {
          b.header("Last-Event-ID", Long.toString(lastId.get()));
        }
        HttpResponse<Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        lines = r.body();
        try (Stream<String> s = lines) {
          s.forEach(
              line -> {
                if (line.startsWith("id:")) {
                  long id = Long.parseLong(line.substring(3).trim());
                  if (id > lastId.get()) {
                    lastId.set(id);
                    received.increment();
                  }
                }
              });
        }
      } catch (Exception e) {
        if (closed) {
          return;
        }
      }
      if (!closed) {
        reconnects.increment();
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    Stream<String> s = lines;
    if (s != null) {
      s.close();
    }
    thread.interrupt();
    thread.join(Duration.ofSeconds(2).toMillis());
  }
}
