package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document describes the whole merchant API: every {@code /v1} route the running
 * application registers (found by walking its router functions, whoever wrote them) is an operation
 * of the document served at {@code /v1/openapi.json}; the document and its UI need no API key.
 */
class OpenApiTest extends InletPerClass {

  @Test
  void everyMerchantRouteIsInTheDocument() {
    HttpResponse<String> r =
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/v1/openapi.json"))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode doc = TestInlet.json.readTree(r.body());
    assertThat(doc.get("openapi").asString()).startsWith("3.");
    assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asString()).isEqualTo("bearer");
    Set<String> documented = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + template(path.getKey()));
      }
    }

    List<String> routes = new ArrayList<>();
    for (RouterFunctionMapping mapping : inlet.beans(RouterFunctionMapping.class).values()) {
      if (mapping.getRouterFunction() != null) {
        mapping.getRouterFunction().accept(new Routes(routes));
      }
    }
    List<String> merchantRoutes =
        routes.stream().filter(route -> route.split(" ")[1].startsWith("/v1/")).toList();
    assertThat(merchantRoutes)
        .contains(
            "POST /v1/invoices",
            "GET /v1/invoices",
            "GET /v1/invoices/{}",
            "POST /v1/invoices/{}/cancel");
    assertThat(documented).containsAll(merchantRoutes);
  }

  @Test
  void theDocumentAndItsUiNeedNoKey() {
    HttpResponse<String> docs =
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/v1/docs"))));
    assertThat(docs.statusCode()).isEqualTo(302);
    String ui = docs.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> page = inlet.send(HttpRequest.newBuilder(URI.create(inlet.url(ui))));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui");
    HttpResponse<String> config =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/v1/openapi.json/swagger-config"))));
    assertThat(TestInlet.json.readTree(config.body()).get("url").asString())
        .isEqualTo("/v1/openapi.json");
  }

  /** A path with its variables' names dropped: {@code /v1/invoices/{}}. */
  private static String template(String path) {
    return path.replaceAll("\\{[^}]*}", "{}");
  }

  /** Collects each route as {@code "<METHOD> <path template>"}, one entry per method. */
  private static final class Routes implements RouterFunctions.Visitor {
    private final List<String> routes;
    private final Deque<String> prefixes = new ArrayDeque<>();

    Routes(List<String> routes) {
      this.routes = routes;
    }

    @Override
    public void startNested(RequestPredicate predicate) {
      Parts parts = new Parts();
      predicate.accept(parts);
      prefixes.push(prefix() + String.join("", parts.paths));
    }

    @Override
    public void endNested(RequestPredicate predicate) {
      prefixes.pop();
    }

    @Override
    public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
      Parts parts = new Parts();
      predicate.accept(parts);
      String path = template(prefix() + String.join("", parts.paths));
      if (parts.methods.isEmpty()) {
        routes.add("ANY " + path);
      }
      parts.methods.forEach(m -> routes.add(m.name() + " " + path));
    }

    @Override
    public void resources(
        Function<org.springframework.web.reactive.function.server.ServerRequest, Mono<Resource>>
            lookup) {}

    @Override
    public void attributes(Map<String, Object> attributes) {}

    @Override
    public void unknown(RouterFunction<?> routerFunction) {}

    private String prefix() {
      return prefixes.isEmpty() ? "" : prefixes.peek();
    }
  }

  /** The methods and path patterns in a route's predicate. */
  private static final class Parts implements RequestPredicates.Visitor {
    final Set<HttpMethod> methods = new java.util.LinkedHashSet<>();
    final List<String> paths = new ArrayList<>();

    @Override
    public void method(Set<HttpMethod> methods) {
      this.methods.addAll(methods);
    }

    @Override
    public void path(String pattern) {
      paths.add(pattern);
    }

    @Override
    public void pathExtension(String extension) {}

    @Override
    public void header(String name, String value) {}

    @Override
    public void version(String version) {}

    @Override
    public void queryParam(String name, String value) {}

    @Override
    public void startAnd() {}

    @Override
    public void and() {}

    @Override
    public void endAnd() {}

    @Override
    public void startOr() {}

    @Override
    public void or() {}

    @Override
    public void endOr() {}

    @Override
    public void startNegate() {}

    @Override
    public void endNegate() {}

    @Override
    public void unknown(RequestPredicate predicate) {}
  }
}
