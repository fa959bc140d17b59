package dev.inlet.admin.ui;

import dev.inlet.web.FailedAuthentications;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /admin}: the overview when signed in, else the sign-in form; {@code POST
 * /admin/sign-in} with the admin token in field {@code token}; {@code POST /admin/sign-out}. Failed
 * sign-ins count against the same per-address budget as failed bearer tokens on the admin API
 * ({@link FailedAuthentications}): past it, the form answers 429 without looking at the token.
 */
final class SignInHandler {
  private static final Logger log = LoggerFactory.getLogger(SignInHandler.class);

  /** Longest token looked at, characters. */
  static final int maxTokenChars = 512;

  private final DashboardSessions sessions;
  private final byte[] adminToken;
  private final FailedAuthentications failures;
  private final OverviewHandler overview;

  SignInHandler(
      DashboardSessions sessions,
      String adminToken,
      FailedAuthentications failures,
      OverviewHandler overview) {
    this.sessions = sessions;
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    this.failures = failures;
    this.overview = overview;
  }

  /** {@code GET /admin}. */
  Mono<ServerResponse> home(ServerRequest request) {
    DashboardAuth.protect(request);
    return DashboardAuth.session(request, sessions)
        .map(
            session -> {
              request.attributes().put(Pages.sessionAttribute, session);
              request.attributes().put(Pages.csrfAttribute, sessions.csrfToken(session));
              return overview.overview(request);
            })
        .orElseGet(() -> form(request, HttpStatus.OK, null));
  }

  /** {@code POST /admin/sign-in}. */
  Mono<ServerResponse> signIn(ServerRequest request) {
    DashboardAuth.protect(request);
    String client = DashboardAuth.clientAddress(request);
    long waitNanos = failures.retryAfterNanos(client);
    if (waitNanos > 0) {
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999));
      request
          .exchange()
          .getResponse()
          .getHeaders()
          .set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
      return form(
          request,
          HttpStatus.TOO_MANY_REQUESTS,
          "Too many failed sign-ins from this address: try again in " + seconds + " s.");
    }
    return request
        .formData()
        .flatMap(
            form -> {
              String token = form.getFirst("token");
              if (token != null
                  && token.length() <= maxTokenChars
                  && MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8))) {
                log.info("Dashboard sign-in from {}", client);
                return ServerResponse.seeOther(URI.create("/admin"))
                    .cookie(DashboardAuth.cookie(request, sessions.create(), sessions.lifetime()))
                    .build();
              }
              boolean limitReached = failures.failed(client);
              log.warn(
                  "Failed dashboard sign-in from {}{}",
                  client,
                  limitReached ? ": limit reached, further attempts get 429" : "");
              return form(request, HttpStatus.UNAUTHORIZED, "Wrong admin token.");
            });
  }

  /** {@code POST /admin/sign-out} (behind the session filter, so with a valid CSRF token). */
  Mono<ServerResponse> signOut(ServerRequest request) {
    request
        .attribute(Pages.sessionAttribute)
        .ifPresent(s -> sessions.signOut((DashboardSessions.Session) s));
    return ServerResponse.seeOther(URI.create("/admin"))
        .cookie(DashboardAuth.cookie(request, "", Duration.ZERO))
        .build();
  }

  private static Mono<ServerResponse> form(
      ServerRequest request, HttpStatus status, String message) {
    return Pages.render(
        request, status, "sign-in", message == null ? Map.of() : Map.of("message", message));
  }
}
