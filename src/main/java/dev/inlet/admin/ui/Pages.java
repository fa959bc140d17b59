package dev.inlet.admin.ui;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Rendering a dashboard page: the template under {@code templates/admin/}, with what every page
 * shows (the session's CSRF token for its forms, the active navigation entry).
 */
final class Pages {
  /** Request attribute holding the verified {@link DashboardSessions.Session}. */
  static final String sessionAttribute = "inlet.admin.session";

  /** Request attribute holding the session's CSRF token. */
  static final String csrfAttribute = "inlet.admin.csrf";

  /** Where the pages live below {@code /admin}. */
  static final String base = "/admin/ui";

  private Pages() {}

  /** 200 with the template {@code admin/<name>} and {@code model}. */
  static Mono<ServerResponse> render(
      ServerRequest request, String name, Map<String, Object> model) {
    return render(request, HttpStatus.OK, name, model);
  }

  static Mono<ServerResponse> render(
      ServerRequest request, HttpStatus status, String name, Map<String, Object> model) {
    Map<String, Object> all = new HashMap<>(model);
    request.attribute(csrfAttribute).ifPresent(csrf -> all.put("csrf", csrf));
    all.putIfAbsent("nav", name);
    all.put("base", base);
    return ServerResponse.status(status)
        .contentType(MediaType.TEXT_HTML)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .render("admin/" + name, all);
  }

  /** 303 See Other to {@code path} (after a form's POST). */
  static Mono<ServerResponse> seeOther(String path) {
    return ServerResponse.seeOther(URI.create(path)).build();
  }

  /** Runs a JDBC call off the event loop. */
  static <T> Mono<T> blocking(Callable<T> call) {
    return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * A row's page: the template {@code admin/<name>} with the row {@code find} reads (off the event
   * loop) as {@code <name>}, or {@code missing} (a 404 problem) when there is none.
   */
  static Mono<ServerResponse> row(
      ServerRequest request,
      String name,
      Callable<Optional<Map<String, Object>>> find,
      Supplier<Mono<ServerResponse>> missing) {
    return blocking(find)
        .flatMap(
            found ->
                found.isEmpty() ? missing.get() : render(request, name, Map.of(name, found.get())));
  }

  /**
   * The page asking to confirm an action on a row ({@code admin/confirm}, its form posting to
   * {@code action}), or {@code missing} when {@code find} finds no row.
   *
   * @param nav the navigation entry
   * @param question the page's heading, e.g. "Cancel invoice inv_…?"
   * @param detail what the action does
   * @param button the submit button's label
   * @param back where "back" leads
   */
  static Mono<ServerResponse> confirm(
      ServerRequest request,
      Callable<? extends Optional<?>> find,
      Supplier<Mono<ServerResponse>> missing,
      String nav,
      String question,
      String detail,
      String action,
      String button,
      String back) {
    return blocking(find)
        .flatMap(
            found ->
                found.isEmpty()
                    ? missing.get()
                    : render(
                        request,
                        "confirm",
                        Map.of(
                            "nav", nav,
                            "question", question,
                            "detail", detail,
                            "action", action,
                            "button", button,
                            "back", back)));
  }
}
