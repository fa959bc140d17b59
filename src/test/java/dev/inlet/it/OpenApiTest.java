package dev.inlet.it;

import static dev.inlet.it.MerchantClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * of the document served at {@code /v1/openapi.json}; the document and its UI need no API key; and
 * real answers of the main operations, and a real webhook delivery, fit the documented schemas
 * ({@link DocumentedSchemas}: every member declared, the required ones present).
 */
class OpenApiTest {
  @TempDir static Path dataDir;
  static TestInlet inlet;

  @BeforeAll
  static void startInlet() {
    // Private webhook URLs: the test's receiver listens on 127.0.0.1. A failed attempt waits for
    // the retry endpoint, not for the backoff.
    inlet =
        TestInlet.start(
            dataDir,
            Map.of("inlet.webhook.allow-private", "true", "inlet.webhook.retry-base", "10m"));
  }

  @AfterAll
  static void stopInlet() {
    inlet.close();
  }

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
            "POST /v1/invoices/{}/cancel",
            "GET /v1/events",
            "POST /v1/webhooks",
            "GET /v1/webhooks/{}/deliveries");
    assertThat(documented).containsAll(merchantRoutes);
  }

  @Test
  void realAnswersFitTheDocumentedSchemas() throws Exception {
    DocumentedSchemas schemas = new DocumentedSchemas(document());
    List<String> drift = new ArrayList<>();
    MerchantClient shop = MerchantClient.create(inlet, "docs", "docs-usd");
    try (WebhookReceiver receiver = new WebhookReceiver(n -> n == 1 ? 500 : 200)) {
      HttpResponse<String> hook =
          shop.post(
              "/v1/webhooks",
              "{\"url\":\"" + receiver.url() + "\",\"events\":[\"invoice.completed\"]}");
      drift.addAll(schemas.check("POST", "/v1/webhooks", json, hook));
      String webhook = ok(hook).get("id").asString();
      receiver.secret(ok(hook).get("secret").asString());
      drift.addAll(schemas.check("GET", "/v1/webhooks", json, shop.get("/v1/webhooks")));

      String body =
          "{\"account\":\"docs-usd\",\"amount\":\"10000\",\"description\":\"two mugs\","
              + "\"metadata\":{\"order\":42}}";
      Map<String, String> key = Map.of("Idempotency-Key", "order-42");
      HttpResponse<String> created = shop.post("/v1/invoices", body, key);
      drift.addAll(schemas.check("POST", "/v1/invoices", json, created));
      HttpResponse<String> replayed = shop.post("/v1/invoices", body, key);
      assertThat(replayed.statusCode()).isEqualTo(200);
      assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
      drift.addAll(schemas.check("POST", "/v1/invoices", json, replayed));
      String id = ok(created).get("id").asString();
      drift.addAll(
          schemas.check(
              "GET",
              "/invoices/{id}",
              "application/spsp4+json",
              inlet.send(
                  HttpRequest.newBuilder(URI.create(inlet.url("/invoices/" + id)))
                      .header("Accept", "application/spsp4+json"))));
      QuiltSender.pay(
          inlet,
          ok(created).get("payment_pointer").asString(),
          10_000,
          10_000,
          Duration.ofSeconds(30));
      HttpResponse<String> paid = shop.get("/v1/invoices/" + id);
      assertThat(ok(paid).get("payments")).isNotEmpty();
      drift.addAll(schemas.check("GET", "/v1/invoices/{id}", json, paid));
      drift.addAll(schemas.check("GET", "/v1/invoices", json, shop.get("/v1/invoices?limit=1")));
      drift.addAll(
          schemas.check(
              "GET",
              "/v1/accounts/{name}/admission",
              json,
              shop.get("/v1/accounts/docs-usd/admission?amount=5")));

      String other =
          ok(shop.post("/v1/invoices", "{\"account\":\"docs-usd\",\"amount\":\"5\"}"))
              .get("id")
              .asString();
      drift.addAll(
          schemas.check(
              "POST",
              "/v1/invoices/{id}/cancel",
              json,
              shop.post("/v1/invoices/" + other + "/cancel", "")));

      HttpResponse<String> voucher =
          shop.post("/v1/vouchers", "{\"account\":\"docs-usd\",\"amount\":\"100\"}");
      drift.addAll(schemas.check("POST", "/v1/vouchers", json, voucher));
      drift.addAll(schemas.check("GET", "/v1/vouchers", json, shop.get("/v1/vouchers")));
      drift.addAll(
          schemas.check(
              "GET",
              "/vouchers/{code}",
              "application/spsp4+json",
              inlet.send(
                  HttpRequest.newBuilder(
                          URI.create(inlet.url("/vouchers/" + ok(voucher).get("code").asString())))
                      .header("Accept", "application/spsp4+json"))));
      drift.addAll(
          schemas.check(
              "POST",
              "/v1/vouchers/{id}/revoke",
              json,
              shop.post("/v1/vouchers/" + ok(voucher).get("id").asString() + "/revoke", "")));
      HttpResponse<String> mandate =
          shop.post(
              "/v1/mandates",
              "{\"account\":\"docs-usd\",\"amount\":\"50\",\"interval\":\"P1M\",\"cycles\":12}");
      drift.addAll(schemas.check("POST", "/v1/mandates", json, mandate));
      drift.addAll(
          schemas.check(
              "GET",
              "/v1/mandates/{id}",
              json,
              shop.get("/v1/mandates/" + ok(mandate).get("id").asString())));
      drift.addAll(
          schemas.check(
              "GET",
              "/mandates/{code}",
              "application/spsp4+json",
              inlet.send(
                  HttpRequest.newBuilder(
                          URI.create(inlet.url("/mandates/" + ok(mandate).get("code").asString())))
                      .header("Accept", "application/spsp4+json"))));

      HttpResponse<String> events = shop.get("/v1/events?limit=500");
      drift.addAll(schemas.check("GET", "/v1/events", json, events));
      List<String> types = new ArrayList<>();
      ok(events).get("items").forEach(e -> types.add(e.get("type").asString()));
      assertThat(types)
          .contains(
              "invoice.created",
              "payment.received",
              "invoice.processing",
              "invoice.completed",
              "invoice.cancelled",
              "voucher.revoked");
      HttpResponse<String> first = shop.get("/v1/events?limit=1");
      drift.addAll(schemas.check("GET", "/v1/events", json, first));
      assertThat(ok(first).get("next_cursor").asString())
          .isEqualTo(ok(first).get("items").get(0).get("id").asString());

      // The delivery: first answered 500 (pending, with its error), then retried and delivered.
      WebhookApi.await(
          Duration.ofSeconds(20), "a failed attempt", () -> !receiver.received.isEmpty());
      String deliveries = "/v1/webhooks/" + webhook + "/deliveries";
      WebhookApi.await(
          Duration.ofSeconds(10),
          "the failed attempt recorded",
          () -> ok(shop.get(deliveries)).get("items").get(0).get("attempts").asInt() == 1);
      HttpResponse<String> page = shop.get(deliveries);
      drift.addAll(schemas.check("GET", "/v1/webhooks/{id}/deliveries", json, page));
      String delivery = ok(page).get("items").get(0).get("id").asString();
      HttpResponse<String> retry = shop.post(deliveries + "/" + delivery + "/retry", "");
      drift.addAll(
          schemas.check("POST", "/v1/webhooks/{id}/deliveries/{delivery}/retry", json, retry));
      assertThat(retry.statusCode()).isEqualTo(202);
      WebhookApi.await(Duration.ofSeconds(20), "the retry", () -> receiver.received.size() == 2);
      WebhookReceiver.Received sent = receiver.received.get(1);
      assertThat(sent.signatureValid()).isTrue();
      JsonNode event = TestInlet.json.readTree(sent.body());
      assertThat(sent.header("Inlet-Event-Id")).isEqualTo(event.get("id").asString());
      schemas.check(document().at("/components/schemas/Event"), event, "delivery", drift);
    }
    assertThat(drift).as("answers that differ from the OpenAPI document").isEmpty();
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

  private static final String json = "application/json";

  private static JsonNode document() {
    HttpResponse<String> r =
        inlet.send(HttpRequest.newBuilder(URI.create(inlet.url("/v1/openapi.json"))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
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
