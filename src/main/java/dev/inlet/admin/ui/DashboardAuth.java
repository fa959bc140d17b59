package dev.inlet.admin.ui;

import dev.inlet.web.Problems;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Guards the dashboard's pages: the session cookie ({@link DashboardSessions}) and nothing else
 * admits a request — no {@code Authorization} header, neither the admin token nor a merchant's API
 * key. Without a valid session a GET is sent to the sign-in form (303 to {@code /admin}) and any
 * other method gets 401 {@code sign-in-required}; a POST whose form field {@code _csrf} is not the
 * session's CSRF token gets 403 {@code invalid-csrf-token}. Every answer forbids caching and
 * framing and allows scripts, styles and connections from this origin only.
 */
final class DashboardAuth {
  /** The form field carrying the CSRF token. */
  static final String csrfField = "_csrf";

  static final String contentSecurityPolicy =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'; form-action 'self'";

  private DashboardAuth() {}

  /** The filter for every dashboard route but the sign-in form's own. */
  static HandlerFilterFunction<ServerResponse, ServerResponse> requiringSession(
      DashboardSessions sessions) {
    return (request, next) -> {
      protect(request);
      Optional<DashboardSessions.Session> session = session(request, sessions);
      if (session.isEmpty()) {
        return HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method())
            ? Pages.seeOther("/admin")
            : Problems.respond(
                HttpStatus.UNAUTHORIZED, "sign-in-required", "Sign in at /admin first");
      }
      request.attributes().put(Pages.sessionAttribute, session.get());
      request.attributes().put(Pages.csrfAttribute, sessions.csrfToken(session.get()));
      if (HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method())) {
        return next.handle(request);
      }
      return request
          .formData()
          .flatMap(
              form ->
                  sessions.csrfMatches(session.get(), form.getFirst(csrfField))
                      ? next.handle(request)
                      : Problems.respond(
                          HttpStatus.FORBIDDEN,
                          "invalid-csrf-token",
                          "The form's CSRF token is missing or not this session's: reload the page"));
    };
  }

  /** The request's valid session, if its cookie carries one. */
  static Optional<DashboardSessions.Session> session(
      ServerRequest request, DashboardSessions sessions) {
    HttpCookie cookie = request.cookies().getFirst(DashboardSessions.cookieName);
    return cookie == null ? Optional.empty() : sessions.verify(cookie.getValue());
  }

  /** Response headers every dashboard answer carries. */
  static void protect(ServerRequest request) {
    HttpHeaders headers = request.exchange().getResponse().getHeaders();
    headers.set("Content-Security-Policy", contentSecurityPolicy);
    headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "same-origin");
    headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
  }

  /**
   * The session cookie: HttpOnly, SameSite=Strict, for {@code /admin} only, Secure when the request
   * came over HTTPS (as the request's URI says, which honours {@code X-Forwarded-Proto} only where
   * {@code server.forward-headers-strategy} trusts a proxy).
   */
  static ResponseCookie cookie(ServerRequest request, String value, java.time.Duration maxAge) {
    return ResponseCookie.from(DashboardSessions.cookieName, value)
        .httpOnly(true)
        .sameSite("Strict")
        .secure("https".equalsIgnoreCase(request.uri().getScheme()))
        .path("/admin")
        .maxAge(maxAge)
        .build();
  }

  /** The client's address, as {@link dev.inlet.web.BearerAuth} counts failures by it. */
  static String clientAddress(ServerRequest request) {
    return request
        .remoteAddress()
        .map(InetSocketAddress::getAddress)
        .map(address -> address.getHostAddress())
        .orElse("unknown");
  }
}
