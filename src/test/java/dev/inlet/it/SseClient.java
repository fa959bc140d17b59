package dev.inlet.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A client of a server-sent event stream (JDK HttpClient, the body read line by line on a thread of
 * its own). Closing it drops the connection, as a client that goes away does.
 */
final class SseClient implements AutoCloseable {
  /** One message: an event (id, event, data) or a comment (comment only). */
  record Message(String id, String event, String data, String comment) {
    boolean isComment() {
      return comment != null;
    }
  }

  /** Stands for the end of the stream (the server ended it, or the connection dropped). */
  static final Message end = new Message(null, null, null, null);

  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
  private final Thread reader;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code url} with {@code Accept: text/event-stream}, and more headers in pairs. */
  static SseClient open(String url, String apiKey, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return new SseClient(http.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
  }

  private void read() {
    String id = null;
    String event = null;
    StringBuilder data = null;
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (data != null || event != null || id != null) {
            messages.add(new Message(id, event, data == null ? null : data.toString(), null));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith(":")) {
          messages.add(new Message(null, null, null, line.substring(1)));
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" ->
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {}
          }
        }
      }
    } catch (RuntimeException e) {
      // closed by the test, or by the server
    }
    messages.add(end);
  }

  /** Waits for the server's first comment: from then on the stream is subscribed. */
  /**
   * True once the stream says it is subscribed; false when it ended first (the server dropped a
   * stream that fell behind before its first comment went out).
   */
  boolean awaitSubscribedOrEnd() throws InterruptedException {
    Message m = messages.poll(10, TimeUnit.SECONDS);
    if (m == end) {
      return false;
    }
    if (m == null || !"subscribed".equals(m.comment())) {
      throw new AssertionError("expected the subscribed comment, got " + m);
    }
    return true;
  }

  void awaitSubscribed() throws InterruptedException {
    Message m = messages.poll(10, TimeUnit.SECONDS);
    if (m == null || !"subscribed".equals(m.comment())) {
      throw new AssertionError("expected the subscribed comment, got " + m);
    }
  }

  /**
   * The next event (comments skipped), {@link #end} when the stream ended, or null when nothing
   * arrives within {@code timeout}.
   */
  Message nextEvent(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Message m = messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (m == null || !m.isComment()) {
        return m;
      }
    }
  }

  /** The next {@code n} events, each within {@code timeout}; fails if one does not come. */
  List<Message> events(int n, Duration timeout) throws InterruptedException {
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Message m = nextEvent(timeout);
      if (m == null || m == end) {
        throw new AssertionError("event " + (i + 1) + " of " + n + " did not come; got " + out);
      }
      out.add(m);
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    reader.interrupt();
    try {
      response.body().close();
    } catch (RuntimeException e) {
      // already closed
    }
    reader.join(5_000);
  }
}
