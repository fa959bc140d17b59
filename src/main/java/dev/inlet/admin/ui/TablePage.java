package dev.inlet.admin.ui;

import dev.inlet.web.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * A dashboard table with search, filters and paging at {@code /admin/ui/<name>}, rendered by the
 * template {@code admin/<name>}. A new table is one subclass (its filters and its SQL) and one
 * template, and one line in {@link DashboardConfig}'s list of tables.
 *
 * <p>Query parameters: {@code q} (search text, at most {@link #maxSearchChars} characters, matched
 * case-insensitively as a substring), one per filter (one of its options, or empty for any) and
 * {@code page} (1 to {@link #maxPage}). Anything else is a 400 problem {@code invalid-query}.
 */
abstract class TablePage {
  /** Rows per page. */
  static final int pageSize = 25;

  /** Longest search text, characters. */
  static final int maxSearchChars = 100;

  /** Highest page number (offset paging: deeper pages are for the JSON API). */
  static final int maxPage = 1_000;

  /** A filter: a query parameter and the values it may take. */
  record Filter(String name, String label, List<String> options) {}

  /**
   * What the request asks for.
   *
   * @param search the search text, or null
   * @param filters each filter's chosen option, by filter name, only those chosen
   */
  record Query(String search, Map<String, String> filters, int page) {
    /** The search text as a LIKE pattern ({@code %text%}, wildcards escaped), or null. */
    String pattern() {
      return search == null
          ? null
          : "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
  }

  /** The path segment and template name. */
  abstract String name();

  /** The page's heading. */
  abstract String title();

  /** The filters, in the order the form shows them. */
  abstract List<Filter> filters();

  /** The rows of the query: at most {@code limit}, skipping {@code offset}. Runs JDBC. */
  abstract List<Map<String, Object>> rows(Query query, int limit, int offset);

  /** {@code GET /admin/ui/<name>}. */
  final Mono<ServerResponse> list(ServerRequest request) {
    Optional<Query> parsed = parse(request);
    if (parsed.isEmpty()) {
      return Problems.respond(
          HttpStatus.BAD_REQUEST,
          "invalid-query",
          "q: at most "
              + maxSearchChars
              + " characters; page: 1 to "
              + maxPage
              + "; each filter one of its options; each given at most once");
    }
    Query query = parsed.get();
    return Pages.blocking(() -> rows(query, pageSize + 1, (query.page() - 1) * pageSize))
        .flatMap(
            rows -> {
              Map<String, Object> model = new LinkedHashMap<>();
              model.put("title", title());
              model.put("rows", rows.subList(0, Math.min(pageSize, rows.size())));
              model.put("page", query.page());
              model.put("hasNext", rows.size() > pageSize);
              model.put("q", query.search() == null ? "" : query.search());
              List<Map<String, Object>> filters = new ArrayList<>();
              for (Filter f : filters()) {
                filters.add(
                    Map.of(
                        "name", f.name(),
                        "label", f.label(),
                        "options", f.options(),
                        "selected", query.filters().getOrDefault(f.name(), "")));
              }
              model.put("filters", filters);
              model.put("prevUrl", pageUrl(request, query.page() - 1));
              model.put("nextUrl", pageUrl(request, query.page() + 1));
              return Pages.render(request, name(), model);
            });
  }

  /** This page's URL (path and query, as received) with another page number. */
  private static String pageUrl(ServerRequest request, int page) {
    return UriComponentsBuilder.fromPath(request.uri().getRawPath())
        .query(request.uri().getRawQuery())
        .replaceQueryParam("page", page)
        .build()
        .toUriString();
  }

  private Optional<Query> parse(ServerRequest request) {
    Map<String, List<String>> params = request.queryParams();
    for (String key : params.keySet()) {
      boolean known =
          key.equals("q")
              || key.equals("page")
              || filters().stream().anyMatch(f -> f.name().equals(key));
      if (!known || params.get(key).size() != 1) {
        return Optional.empty();
      }
    }
    String q = request.queryParam("q").map(String::strip).orElse("");
    if (q.length() > maxSearchChars) {
      return Optional.empty();
    }
    int page = 1;
    String pageText = request.queryParam("page").orElse("1");
    if (pageText.isEmpty()
        || pageText.length() > 4
        || !pageText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    page = Integer.parseInt(pageText);
    if (page < 1 || page > maxPage) {
      return Optional.empty();
    }
    Map<String, String> chosen = new LinkedHashMap<>();
    for (Filter f : filters()) {
      String value = request.queryParam(f.name()).orElse("");
      if (value.isEmpty()) {
        continue;
      }
      if (!f.options().contains(value)) {
        return Optional.empty();
      }
      chosen.put(f.name(), value);
    }
    return Optional.of(new Query(q.isEmpty() ? null : q, chosen, page));
  }

  /** A WHERE clause put together from optional conditions, with its parameters in order. */
  static final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    /** Adds {@code condition} (one {@code ?} per value) unless it or {@code values[0]} is null. */
    Where and(String condition, Object... values) {
      if (condition != null && (values.length == 0 || values[0] != null)) {
        conditions.add(condition);
        params.addAll(List.of(values));
      }
      return this;
    }

    /** {@code " WHERE a AND b"}, or empty. */
    String sql() {
      return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** The parameters, then {@code more}. */
    List<Object> params(Object... more) {
      List<Object> all = new ArrayList<>(params);
      all.addAll(List.of(more));
      return all;
    }
  }
}
