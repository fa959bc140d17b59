package dev.inlet.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * An admin dashboard left open on its live page ({@code --ab-dashboard}): signs in with the admin
 * token as the browser's form does, then reads {@code GET /admin/ui/live/stream} (server-sent
 * events, one snapshot of the live connections and balances a second) on its own daemon thread,
 * counting the snapshots, until closed.
 */
final class DashboardStream implements AutoCloseable {
  private final HttpClient http = HttpClient.newHttpClient();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Stream<String> lines;
  final LongAdder snapshots = new LongAdder();
  final LongAdder bytes = new LongAdder();

  private DashboardStream(int port, String cookie) {
    URI uri = URI.create("http://127.0.0.1:" + port + "/admin/ui/live/stream");
    this.thread = new Thread(() -> read(uri, cookie), "load-dashboard");
    thread.setDaemon(true);
    thread.start();
  }

  /** Signs in on Inlet's web port and opens the live stream. */
  static DashboardStream open(int port) throws Exception {
    HttpResponse<String> signIn =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/sign-in"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "token="
                                + URLEncoder.encode(
                                    InletProcess.adminToken, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    String setCookie =
        signIn
            .headers()
            .firstValue("Set-Cookie")
            .orElseThrow(
                () -> new IllegalStateException("dashboard sign-in: " + signIn.statusCode()));
    return new DashboardStream(port, setCookie.substring(0, setCookie.indexOf(';')));
  }

  private void read(URI uri, String cookie) {
    try {
      HttpResponse<Stream<String>> r =
          http.send(
              HttpRequest.newBuilder(uri)
                  .header("Accept", "text/event-stream")
                  .header("Cookie", cookie)
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      if (r.statusCode() != 200) {
        System.err.println("dashboard live stream: HTTP " + r.statusCode());
        return;
      }
      lines = r.body();
      try (Stream<String> s = lines) {
        s.forEach(
            line -> {
              bytes.add(line.length() + 1);
              if (line.startsWith("event:")) {
                snapshots.increment();
              }
            });
      }
    } catch (Exception e) {
      if (!closed) {
        System.err.println("dashboard live stream ended: " + e);
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
    thread.join(5_000);
  }
}
