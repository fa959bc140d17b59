package dev.inlet.spsp;

import dev.inlet.crypto.ReceiptCredentials;
import dev.inlet.web.PublicAddresses;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Resolves a payment pointer (RFC 0026) or an SPSP URL to the receiver's STREAM credentials (RFC
 * 0009): a {@code GET} with {@code Accept: application/spsp4+json, application/spsp+json}, each
 * request (headers and body) within {@link SpspClientSettings#timeout()}, the body at most {@link
 * SpspClientSettings#maxBodyBytes()}, at most {@value #maxRedirects} redirects.
 *
 * <p>A pointer {@code $host/path} is {@code https://host/path}, and {@code $host} or {@code $host/}
 * is {@code https://host/.well-known/pay}. URLs, and every redirect, must be {@code https://};
 * {@code http://} only with {@code inlet.spsp.allow-http}. Unless {@code inlet.spsp.allow-private},
 * every host must resolve to public addresses only (no loopback, private, link-local, CGNAT), so
 * that whoever names the receiver cannot make Inlet query its own network.
 */
public final class SpspClient {
  /** Redirects followed, each checked like the first URL. */
  public static final int maxRedirects = 3;

  private static final String accept = "application/spsp4+json, application/spsp+json";

  private final HttpClient http;
  private final SpspClientSettings settings;

  /** A client with its own {@link HttpClient} (redirects are followed here, one by one). */
  public SpspClient(SpspClientSettings settings) {
    this(
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(),
        settings);
  }

  /**
   * @param http the HTTP client to query with; it should not follow redirects itself, or they skip
   *     the checks
   */
  public SpspClient(HttpClient http, SpspClientSettings settings) {
    this.http = http;
    this.settings = settings;
  }

  /**
   * Queries the receiver.
   *
   * @param pointerOrUrl {@code $host/path} or {@code https://host/path}
   * @return the answer; completes exceptionally with {@link SpspException} only, never throws
   */
  public CompletableFuture<SpspAnswer> resolve(String pointerOrUrl) {
    return resolve(pointerOrUrl, null);
  }

  /**
   * Queries the receiver, asking it for STREAM receipts (RFC 0039 {@code Receipt-Nonce} and {@code
   * Receipt-Secret}) when {@code receipts} is not null.
   *
   * @return the answer; completes exceptionally with {@link SpspException} only, never throws
   */
  public CompletableFuture<SpspAnswer> resolve(String pointerOrUrl, ReceiptCredentials receipts) {
    try {
      return query(url(pointerOrUrl, settings.allowHttp()), 0, receipts);
    } catch (SpspException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new SpspException(SpspException.receiverInvalid, "not a usable URL: " + e));
    }
  }

  private CompletableFuture<SpspAnswer> query(URI uri, int redirects, ReceiptCredentials receipts) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("Accept", accept).GET();
    if (receipts != null) {
      builder
          .header("Receipt-Nonce", Base64.getEncoder().encodeToString(receipts.nonce()))
          .header("Receipt-Secret", Base64.getEncoder().encodeToString(receipts.secret()));
    }
    HttpRequest request = builder.build();
    CompletableFuture<Void> checked =
        settings.allowPrivate()
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.runAsync(() -> requirePublic(uri));
    return checked
        .thenCompose(ok -> http.sendAsync(request, this::body))
        .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle((response, error) -> answer(uri, redirects, response, error, receipts))
        .thenCompose(next -> next);
  }

  /** Reads the body only of a 200 in an SPSP media type, and only up to the bound. */
  private HttpResponse.BodySubscriber<Optional<byte[]>> body(HttpResponse.ResponseInfo info) {
    String type = info.headers().firstValue("Content-Type").orElse("");
    if (info.statusCode() == 200 && acceptedType(type)) {
      return HttpResponse.BodySubscribers.mapping(
          new LimitedBody(settings.maxBodyBytes()), Optional::of);
    }
    return HttpResponse.BodySubscribers.replacing(Optional.empty());
  }

  private CompletableFuture<SpspAnswer> answer(
      URI uri,
      int redirects,
      HttpResponse<Optional<byte[]>> response,
      Throwable error,
      ReceiptCredentials receipts) {
    try {
      if (error != null) {
        throw failure(uri, error);
      }
      int status = response.statusCode();
      if (status == 404 || status == 410) {
        throw new SpspException(SpspException.receiverUnknown, uri + " answered " + status);
      }
      if (status >= 500) {
        throw new SpspException(SpspException.receiverUnreachable, uri + " answered " + status);
      }
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        return query(redirect(uri, response, redirects), redirects + 1, receipts);
      }
      if (status != 200) {
        throw new SpspException(SpspException.receiverInvalid, uri + " answered " + status);
      }
      if (response.body().isEmpty()) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        throw new SpspException(
            SpspException.receiverInvalid, uri + " answered with content type \"" + type + "\"");
      }
      return CompletableFuture.completedFuture(SpspAnswers.parse(response.body().get()));
    } catch (SpspException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private URI redirect(URI from, HttpResponse<?> response, int redirects) throws SpspException {
    if (redirects >= maxRedirects) {
      throw new SpspException(
          SpspException.receiverInvalid, "more than " + maxRedirects + " redirects");
    }
    String location = response.headers().firstValue("Location").orElse(null);
    if (location == null) {
      throw new SpspException(SpspException.receiverInvalid, from + " redirects nowhere");
    }
    try {
      return checked(from.resolve(new URI(location.strip())), settings.allowHttp());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new SpspException(SpspException.receiverInvalid, from + " redirects to a bad URL");
    }
  }

  /**
   * The URL a payment pointer or SPSP URL names (RFC 0026 "Payment Setup Protocol Receiver Endpoint
   * Resolution").
   *
   * @throws SpspException {@code receiver-invalid} when it is neither, or http is not allowed
   */
  static URI url(String pointerOrUrl, boolean allowHttp) throws SpspException {
    if (pointerOrUrl == null || pointerOrUrl.isBlank()) {
      throw new SpspException(SpspException.receiverInvalid, "no payment pointer or URL given");
    }
    String text = pointerOrUrl.strip();
    try {
      if (!text.startsWith("$")) {
        return checked(new URI(text), allowHttp);
      }
      URI uri = new URI("https://" + text.substring(1));
      if (uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null
          || uri.getPort() != -1) {
        throw new SpspException(
            SpspException.receiverInvalid,
            "a payment pointer has no port, user, query or fragment: " + text);
      }
      String path = uri.getRawPath();
      if (path == null || path.isEmpty() || path.equals("/")) {
        uri = uri.resolve("/.well-known/pay");
      }
      return checked(uri, allowHttp);
    } catch (URISyntaxException e) {
      throw new SpspException(
          SpspException.receiverInvalid, "not a payment pointer or URL: " + e.getMessage());
    }
  }

  private static URI checked(URI uri, boolean allowHttp) throws SpspException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new SpspException(
          SpspException.receiverInvalid, "not a payment pointer or https URL: " + uri);
    }
    if (scheme.equals("http") && !allowHttp) {
      throw new SpspException(
          SpspException.receiverInvalid, "http:// is not allowed (inlet.spsp.allow-http): " + uri);
    }
    return uri;
  }

  /** Blocking (DNS): runs on the common pool, not the caller's thread. */
  private static void requirePublic(URI uri) {
    try {
      if (!PublicAddresses.resolvesPublicly(uri)) {
        throw new CompletionException(
            new SpspException(
                SpspException.receiverInvalid,
                uri.getHost() + " is not a public address (inlet.spsp.allow-private)"));
      }
    } catch (UnknownHostException e) {
      throw new CompletionException(
          new SpspException(
              SpspException.receiverUnreachable, uri.getHost() + " does not resolve"));
    }
  }

  private static boolean acceptedType(String contentType) {
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    // Plain JSON too: some receivers answer SPSP with it.
    return type.equals("application/spsp4+json")
        || type.equals("application/spsp+json")
        || type.equals("application/json");
  }

  private SpspException failure(URI uri, Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof SpspException s) {
      return s;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof LimitedBody.TooLarge) {
        return new SpspException(
            SpspException.receiverInvalid,
            uri + " answered more than " + settings.maxBodyBytes() + " bytes");
      }
    }
    String why =
        e instanceof HttpTimeoutException || e instanceof TimeoutException
            ? "no answer in time"
            : e instanceof ConnectException ? "connection refused or failed" : e.toString();
    return new SpspException(SpspException.receiverUnreachable, uri + ": " + why);
  }
}
