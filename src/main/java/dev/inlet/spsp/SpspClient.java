package dev.inlet.spsp;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Resolves a payment pointer (RFC 0026) or an SPSP URL to the receiver's STREAM credentials (RFC
 * 0009): one {@code GET} with {@code Accept: application/spsp4+json}, bounded in time ({@link
 * SpspClientSettings#timeout()}) and size ({@link SpspClientSettings#maxBodyBytes()}), redirects
 * followed except from https to http.
 *
 * <p>A pointer {@code $host/path} is {@code https://host/path}, and {@code $host} alone is {@code
 * https://host/.well-known/pay}. URLs must be {@code https://}; {@code http://} only with {@code
 * inlet.spsp.allow-http}.
 */
public final class SpspClient {
  /**
   * The media types asked for. Answers in these or in plain {@code application/json}, which some
   * receivers send, are read.
   */
  private static final String accept = "application/spsp4+json, application/spsp+json";

  private final HttpClient http;
  private final SpspClientSettings settings;

  /**
   * A client with its own {@link HttpClient}: HTTP/1.1 and 2, connect timeout {@link
   * SpspClientSettings#timeout()}.
   */
  public SpspClient(SpspClientSettings settings) {
    this(
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build(),
        settings);
  }

  /**
   * @param http the HTTP client to query with (its redirect policy applies)
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
    URI uri;
    HttpRequest request;
    try {
      uri = url(pointerOrUrl, settings.allowHttp());
      request =
          HttpRequest.newBuilder(uri)
              .timeout(settings.timeout())
              .header("Accept", accept)
              .GET()
              .build();
    } catch (SpspException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new SpspException(SpspException.receiverInvalid, "not a usable URL: " + e.getMessage()));
    }
    Duration timeout = settings.timeout();
    try {
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
          .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .handle((response, error) -> answer(uri, response, error))
          .thenCompose(a -> a);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new SpspException(SpspException.receiverUnreachable, uri + ": " + e.getMessage()));
    }
  }

  private CompletableFuture<SpspAnswer> answer(
      URI uri, HttpResponse<InputStream> response, Throwable error) {
    if (error != null) {
      return CompletableFuture.failedFuture(unreachable(uri, error));
    }
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 404 || status == 410) {
        throw new SpspException(SpspException.receiverUnknown, uri + " answered " + status);
      }
      if (status >= 500) {
        throw new SpspException(SpspException.receiverUnreachable, uri + " answered " + status);
      }
      if (status != 200) {
        throw new SpspException(SpspException.receiverInvalid, uri + " answered " + status);
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (!acceptedType(type)) {
        throw new SpspException(
            SpspException.receiverInvalid, uri + " answered with content type \"" + type + "\"");
      }
      byte[] bytes = body.readNBytes(settings.maxBodyBytes() + 1);
      if (bytes.length > settings.maxBodyBytes()) {
        throw new SpspException(
            SpspException.receiverInvalid,
            uri + " answered more than " + settings.maxBodyBytes() + " bytes");
      }
      return CompletableFuture.completedFuture(SpspAnswers.parse(bytes));
    } catch (SpspException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(unreachable(uri, e));
    }
  }

  /**
   * The URL a payment pointer or SPSP URL names (RFC 0026 "Payment Pointer Resolution").
   *
   * @throws SpspException {@code receiver-invalid} when it is neither, or http is not allowed
   */
  static URI url(String pointerOrUrl, boolean allowHttp) throws SpspException {
    if (pointerOrUrl == null || pointerOrUrl.isBlank()) {
      throw new SpspException(SpspException.receiverInvalid, "no payment pointer or URL given");
    }
    String text = pointerOrUrl.strip();
    URI uri;
    try {
      if (text.startsWith("$")) {
        uri = new URI("https://" + text.substring(1));
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
      } else {
        uri = new URI(text);
      }
    } catch (URISyntaxException e) {
      throw new SpspException(
          SpspException.receiverInvalid, "not a payment pointer or URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new SpspException(
          SpspException.receiverInvalid, "not a payment pointer or https URL: " + text);
    }
    if (scheme.equals("http") && !allowHttp) {
      throw new SpspException(
          SpspException.receiverInvalid, "http:// is not allowed (inlet.spsp.allow-http): " + text);
    }
    return uri;
  }

  private static boolean acceptedType(String contentType) {
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.equals("application/spsp4+json")
        || type.equals("application/spsp+json")
        || type.equals("application/json");
  }

  private static SpspException unreachable(URI uri, Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String why =
        e instanceof HttpTimeoutException || e instanceof java.util.concurrent.TimeoutException
            ? "no answer in time"
            : e instanceof ConnectException ? "connection refused or failed" : e.toString();
    return new SpspException(SpspException.receiverUnreachable, uri + ": " + why);
  }
}
