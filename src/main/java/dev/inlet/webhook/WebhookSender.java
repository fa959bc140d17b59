package dev.inlet.webhook;

import dev.inlet.web.PublicAddresses;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One webhook attempt over HTTP: a signed POST of the event JSON, bounded in time and in what it
 * reads. The JDK's {@link HttpClient} rather than Reactor Netty: attempts run on the dispatcher's
 * own threads and its own selector, so a slow endpoint can never hold an event loop the web server
 * (SPSP, the API) or the packet path shares; it follows no redirect when asked, needs no extra
 * dependency, and one deadline over {@code sendAsync} bounds the whole exchange, body included.
 */
final class WebhookSender {
  /** Response body bytes read at most (then dropped): a receiver's answer is not used. */
  static final int maxResponseBytes = 4_096;

  private static final int maxErrorChars = 300;

  /** An attempt's result: a status (null without an answer) and, unless 2xx, what went wrong. */
  record Outcome(Integer status, String error) {
    boolean delivered() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private final HttpClient http;
  private final Duration timeout;
  private final boolean allowPrivate;
  private final Clock clock;

  WebhookSender(Duration timeout, boolean allowPrivate, Executor executor, Clock clock) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .executor(executor)
            .build();
    this.timeout = timeout;
    this.allowPrivate = allowPrivate;
    this.clock = clock;
  }

  /** POSTs {@code body} (event {@code eventId}) to {@code url}, signed with {@code secret}. */
  Outcome send(String url, String secret, long eventId, String body) throws InterruptedException {
    URI uri = WebhookUrls.parse(url).orElse(null);
    if (uri == null) {
      return new Outcome(null, "the URL is not an absolute http(s) URL");
    }
    if (!allowPrivate) {
      // Again at every attempt: the name may resolve elsewhere than when the webhook was made.
      try {
        if (!PublicAddresses.resolvesPublicly(uri)) {
          return new Outcome(null, "the URL's host resolves to a non-public address");
        }
      } catch (UnknownHostException e) {
        return new Outcome(null, "the URL's host does not resolve");
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long t = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Inlet-Event-Id", Long.toString(eventId))
            .header("Inlet-Signature", WebhookSecrets.signature(secret, t, bytes))
            .header("User-Agent", "Inlet-Webhooks")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    CompletableFuture<HttpResponse<Void>> exchange =
        http.sendAsync(request, info -> new CappedDiscard(maxResponseBytes));
    try {
      int status = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
      return new Outcome(
          status, status >= 200 && status < 300 ? null : "the endpoint answered " + status);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      return new Outcome(null, "no answer within " + timeout);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      return new Outcome(null, describe(e.getCause()));
    }
  }

  private String describe(Throwable t) {
    if (t instanceof HttpConnectTimeoutException) {
      return "could not connect within " + timeout;
    }
    if (t instanceof HttpTimeoutException) {
      return "no answer within " + timeout;
    }
    if (t instanceof ConnectException) {
      return "connection refused or unreachable";
    }
    String m = t instanceof IOException && t.getMessage() != null ? t.getMessage() : "";
    String s = t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    return s.length() > maxErrorChars ? s.substring(0, maxErrorChars) : s;
  }

  /** Reads up to a limit of the response body, drops it, and stops reading there. */
  private static final class CappedDiscard implements HttpResponse.BodySubscriber<Void> {
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final long max;
    private Flow.Subscription subscription;
    private long seen;

    CappedDiscard(long max) {
      this.max = max;
    }

    @Override
    public CompletionStage<Void> getBody() {
      return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        seen += b.remaining();
      }
      if (seen > max) {
        subscription.cancel();
        done.complete(null);
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }
}
