package dev.inlet.webhook;

import static dev.inlet.web.Blocking.blocking;

import dev.inlet.events.EventType;
import dev.inlet.merchant.Merchant;
import dev.inlet.merchant.MerchantAuth;
import dev.inlet.web.JsonBodies;
import dev.inlet.web.Problems;
import dev.inlet.web.PublicAddresses;
import dev.inlet.web.PublicIds;
import dev.inlet.web.RequestIdFilter;
import dev.inlet.web.RequestValues;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks on the merchant API: {@code POST /v1/webhooks} {@code {"url", "events": [...]}} → 201
 * {@code {"id", "url", "events", "secret", "created_at"}} (the secret shown this once); {@code GET
 * /v1/webhooks} → {@code {"items": [...]}}; {@code DELETE /v1/webhooks/{id}} → 204; {@code GET
 * /v1/webhooks/{id}/deliveries?limit=&cursor=} → {@code {"items", "next_cursor"}}, newest first;
 * {@code POST /v1/webhooks/{id}/deliveries/{delivery}/retry} → 202. Another merchant's webhook or
 * delivery is 404. Bad input is 400/422 problem+json and writes nothing.
 */
public final class WebhookHandler {
  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);
  private static final int maxBodyBytes = 8_192;
  private static final int defaultPageSize = 50;
  private static final int maxPageSize = 200;

  private final Webhooks webhooks;
  private final WebhookSecrets secrets;
  private final WebhookSettings settings;
  private final WebhookDispatcher dispatcher;
  private final JsonMapper json;

  public WebhookHandler(
      Webhooks webhooks,
      WebhookSecrets secrets,
      WebhookSettings settings,
      WebhookDispatcher dispatcher,
      JsonMapper json) {
    this.webhooks = webhooks;
    this.secrets = secrets;
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.json = json;
  }

  private static final List<String> createFields = List.of("url", "events");

  /** {@code POST /v1/webhooks}. */
  public Mono<ServerResponse> create(ServerRequest request) {
    Merchant merchant = MerchantAuth.merchant(request);
    return JsonBodies.read(request, json, maxBodyBytes)
        .flatMap(
            body -> {
              String unknown = JsonBodies.unknownField(body, createFields);
              if (unknown != null) {
                return Problems.respond(
                    HttpStatus.BAD_REQUEST,
                    "unknown-field",
                    "Unknown field '" + unknown + "'; fields are " + createFields);
              }
              JsonNode urlNode = body.get("url");
              Optional<URI> url =
                  urlNode != null && urlNode.isString()
                      ? WebhookUrls.parse(urlNode.asString())
                      : Optional.empty();
              if (url.isEmpty()) {
                return Problems.respond(
                    HttpStatus.BAD_REQUEST,
                    "invalid-webhook-url",
                    "url must be an absolute http or https URL with a host, without user info, of at most "
                        + WebhookUrls.maxLength
                        + " characters");
              }
              Optional<List<String>> events = events(body.get("events"));
              if (events.isEmpty()) {
                return Problems.respond(
                    HttpStatus.BAD_REQUEST,
                    "invalid-events",
                    "events must be a non-empty array of event types: " + knownTypes());
              }
              String u = urlNode.asString();
              return blocking(() -> publicProblem(url.get()))
                  .flatMap(
                      problem ->
                          problem.isPresent()
                              ? Problems.respond(
                                  HttpStatus.UNPROCESSABLE_CONTENT,
                                  problem.get()[0],
                                  problem.get()[1])
                              : insert(request, merchant, u, events.get()));
            })
        .onErrorResume(JsonBodies.InvalidBody.class, e -> JsonBodies.problem(request, e));
  }

  private Mono<ServerResponse> insert(
      ServerRequest request, Merchant merchant, String url, List<String> events) {
    String secret = WebhookSecrets.generate();
    byte[] sealed = secrets.seal(secret);
    return blocking(
            () -> webhooks.create(merchant.id(), url, events, sealed, settings.maxPerMerchant()))
        .flatMap(
            created ->
                created
                    .map(
                        w -> {
                          RequestIdFilter.logging(
                              request,
                              () ->
                                  log.info(
                                      "Webhook {} created by {}", w.publicId(), merchant.name()));
                          Map<String, Object> m = new LinkedHashMap<>(w.json());
                          m.put("secret", secret);
                          return ServerResponse.created(URI.create("/v1/webhooks/" + w.publicId()))
                              .contentType(MediaType.APPLICATION_JSON)
                              .bodyValue(m);
                        })
                    .orElseGet(
                        () ->
                            Problems.respond(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                "too-many-webhooks",
                                "A merchant may have at most "
                                    + settings.maxPerMerchant()
                                    + " webhooks; delete one first")));
  }

  /** {@code GET /v1/webhooks}. */
  public Mono<ServerResponse> list(ServerRequest request) {
    Merchant merchant = MerchantAuth.merchant(request);
    return blocking(() -> webhooks.list(merchant.id()))
        .flatMap(
            list ->
                ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(
                        Map.of("items", list.stream().map(Webhooks.Webhook::json).toList())));
  }

  /** {@code DELETE /v1/webhooks/{id}}. */
  public Mono<ServerResponse> delete(ServerRequest request) {
    Merchant merchant = MerchantAuth.merchant(request);
    Optional<String> id = RequestValues.path(request, "id", PublicIds.webhooks::isValid);
    if (id.isEmpty()) {
      return unknownWebhook();
    }
    return blocking(() -> webhooks.delete(merchant.id(), id.get()))
        .flatMap(
            deleted -> {
              if (!deleted) {
                return unknownWebhook();
              }
              RequestIdFilter.logging(
                  request, () -> log.info("Webhook {} deleted by {}", id.get(), merchant.name()));
              return ServerResponse.noContent().build();
            });
  }

  /** {@code GET /v1/webhooks/{id}/deliveries}. */
  public Mono<ServerResponse> deliveries(ServerRequest request) {
    OptionalInt limit =
        RequestValues.wholeNumber(request, "limit", 1, maxPageSize, defaultPageSize);
    if (limit.isEmpty()) {
      return Problems.respond(
          HttpStatus.BAD_REQUEST, "invalid-limit", "limit must be 1 to " + maxPageSize);
    }
    List<String> cursors = request.queryParams().getOrDefault("cursor", List.of());
    if (cursors.size() > 1
        || (cursors.size() == 1 && !PublicIds.deliveries.isValid(cursors.get(0)))) {
      return invalidCursor();
    }
    String cursor = cursors.isEmpty() ? null : cursors.get(0);
    return withWebhook(
        request,
        w ->
            blocking(() -> webhooks.deliveries(w.id(), limit.getAsInt(), cursor))
                .flatMap(
                    page ->
                        page.map(
                                p -> {
                                  Map<String, Object> m = new LinkedHashMap<>();
                                  m.put("items", p.items());
                                  m.put("next_cursor", p.nextCursor());
                                  return ServerResponse.ok()
                                      .contentType(MediaType.APPLICATION_JSON)
                                      .bodyValue(m);
                                })
                            .orElseGet(WebhookHandler::invalidCursor)));
  }

  /** {@code POST /v1/webhooks/{id}/deliveries/{delivery}/retry}. */
  public Mono<ServerResponse> retry(ServerRequest request) {
    Optional<String> delivery =
        RequestValues.path(request, "delivery", PublicIds.deliveries::isValid);
    return withWebhook(
        request,
        w ->
            delivery
                .map(d -> blocking(() -> webhooks.retry(w.id(), d)))
                .orElseGet(() -> Mono.just(Webhooks.Retry.UNKNOWN))
                .flatMap(
                    outcome ->
                        switch (outcome) {
                          case SCHEDULED -> {
                            dispatcher.wake();
                            yield ServerResponse.accepted().build();
                          }
                          case DELIVERED ->
                              Problems.respond(
                                  HttpStatus.CONFLICT,
                                  "delivery-already-delivered",
                                  "The delivery was delivered; there is nothing to retry");
                          case UNKNOWN ->
                              Problems.respond(
                                  HttpStatus.NOT_FOUND,
                                  "unknown-delivery",
                                  "The webhook has no such delivery");
                        }));
  }

  private Mono<ServerResponse> withWebhook(
      ServerRequest request, Function<Webhooks.Webhook, Mono<ServerResponse>> then) {
    Merchant merchant = MerchantAuth.merchant(request);
    Optional<String> id = RequestValues.path(request, "id", PublicIds.webhooks::isValid);
    if (id.isEmpty()) {
      return unknownWebhook();
    }
    return blocking(() -> webhooks.find(merchant.id(), id.get()))
        .flatMap(found -> found.map(then).orElseGet(WebhookHandler::unknownWebhook));
  }

  /** The slug and detail of a URL that must not be used, or empty. Blocking (DNS). */
  private Optional<String[]> publicProblem(URI url) {
    if (settings.allowPrivate()) {
      return Optional.empty();
    }
    try {
      return PublicAddresses.resolvesPublicly(url)
          ? Optional.empty()
          : Optional.of(
              new String[] {
                "webhook-url-not-public",
                "The URL's host is or resolves to a loopback, private, link-local or otherwise "
                    + "non-public address"
              });
    } catch (UnknownHostException e) {
      return Optional.of(
          new String[] {"webhook-url-unresolvable", "The URL's host does not resolve"});
    }
  }

  /** The distinct known event types of {@code node}, in the given order, or empty. */
  private static Optional<List<String>> events(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      return Optional.empty();
    }
    Set<String> types = new LinkedHashSet<>();
    for (JsonNode e : node) {
      if (!e.isString() || EventType.of(e.asString()).isEmpty()) {
        return Optional.empty();
      }
      types.add(e.asString());
    }
    return Optional.of(new ArrayList<>(types));
  }

  private static String knownTypes() {
    return String.join(
        ", ", java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toList());
  }

  private static Mono<ServerResponse> unknownWebhook() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-webhook", "No such webhook");
  }

  private static Mono<ServerResponse> invalidCursor() {
    return Problems.respond(
        HttpStatus.BAD_REQUEST, "invalid-cursor", "cursor must be a next_cursor of this list");
  }
}
