package dev.inlet.merchant;

import static dev.inlet.web.Blocking.blocking;

import dev.inlet.web.JsonBodies;
import dev.inlet.web.Problems;
import dev.inlet.web.RequestIdFilter;
import dev.inlet.web.RequestValues;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
 * Merchants on the admin API: {@code POST /admin/merchants} {@code {"name": "acme"}} → 201 {@code
 * {"name", "api_key", "api_key_id"}} (the key shown this once); {@code GET /admin/merchants/{name}}
 * with its keys (never the keys themselves); {@code POST /admin/merchants/{name}/api-keys} → 201 a
 * new key (rotation); {@code DELETE /admin/merchants/{name}/api-keys/{id}} → 204 (revoked: 401 from
 * then on).
 */
public final class MerchantAdminHandler {
  private static final Logger log = LoggerFactory.getLogger(MerchantAdminHandler.class);
  private static final int maxBodyBytes = 1_024;

  private final Merchants merchants;
  private final JsonMapper json;

  public MerchantAdminHandler(Merchants merchants, JsonMapper json) {
    this.merchants = merchants;
    this.json = json;
  }

  /** {@code POST /admin/merchants}. */
  public Mono<ServerResponse> create(ServerRequest request) {
    return JsonBodies.read(request, json, maxBodyBytes)
        .flatMap(
            body -> {
              JsonNode name = body.get("name");
              if (name == null || !name.isString() || !Merchant.isValidName(name.asString())) {
                return Problems.respond(
                    HttpStatus.BAD_REQUEST,
                    "invalid-merchant-name",
                    "name must be " + Merchant.nameRule);
              }
              String n = name.asString();
              return blocking(() -> merchants.create(n))
                  .flatMap(
                      created ->
                          created
                              .map(
                                  c -> {
                                    RequestIdFilter.logging(
                                        request, () -> log.info("Merchant {} created", n));
                                    Map<String, Object> m = new LinkedHashMap<>();
                                    m.put("name", c.merchant().name());
                                    m.put("api_key", c.key().key());
                                    m.put("api_key_id", Long.toString(c.key().id()));
                                    m.put("created_at", c.merchant().createdAt().toString());
                                    return ServerResponse.created(
                                            URI.create("/admin/merchants/" + n))
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .bodyValue(m);
                                  })
                              .orElseGet(
                                  () ->
                                      Problems.respond(
                                          HttpStatus.CONFLICT,
                                          "merchant-exists",
                                          "A merchant named '" + n + "' exists")));
            })
        .onErrorResume(JsonBodies.InvalidBody.class, e -> JsonBodies.problem(request, e));
  }

  /** {@code GET /admin/merchants/{name}}. */
  public Mono<ServerResponse> merchant(ServerRequest request) {
    return withMerchant(
        request,
        m ->
            blocking(() -> merchants.keys(m.id()))
                .flatMap(
                    keys -> {
                      Map<String, Object> v = new LinkedHashMap<>();
                      v.put("name", m.name());
                      v.put("created_at", m.createdAt().toString());
                      v.put(
                          "api_keys",
                          keys.stream()
                              .map(
                                  k -> {
                                    Map<String, Object> kv = new LinkedHashMap<>();
                                    kv.put("id", Long.toString(k.id()));
                                    kv.put("created_at", k.createdAt().toString());
                                    kv.put(
                                        "revoked_at",
                                        k.revokedAt() == null ? null : k.revokedAt().toString());
                                    return kv;
                                  })
                              .toList());
                      return ServerResponse.ok()
                          .contentType(MediaType.APPLICATION_JSON)
                          .bodyValue(v);
                    }));
  }

  /** {@code POST /admin/merchants/{name}/api-keys}. */
  public Mono<ServerResponse> issueKey(ServerRequest request) {
    return withMerchant(
        request,
        m ->
            blocking(() -> merchants.issueKey(m.id()))
                .flatMap(
                    k -> {
                      RequestIdFilter.logging(
                          request, () -> log.info("API key {} issued to {}", k.id(), m.name()));
                      return ServerResponse.status(HttpStatus.CREATED)
                          .contentType(MediaType.APPLICATION_JSON)
                          .bodyValue(Map.of("id", Long.toString(k.id()), "api_key", k.key()));
                    }));
  }

  /** {@code DELETE /admin/merchants/{name}/api-keys/{id}}. */
  public Mono<ServerResponse> revokeKey(ServerRequest request) {
    Optional<String> id = RequestValues.path(request, "id", s -> s.matches("[1-9][0-9]{0,17}"));
    return withMerchant(
        request,
        m ->
            id.map(Long::parseLong)
                .map(
                    keyId ->
                        blocking(() -> merchants.revokeKey(m.id(), keyId))
                            .flatMap(
                                revoked -> {
                                  if (!revoked) {
                                    return unknownKey();
                                  }
                                  RequestIdFilter.logging(
                                      request,
                                      () -> log.info("API key {} of {} revoked", keyId, m.name()));
                                  return ServerResponse.noContent().build();
                                }))
                .orElseGet(MerchantAdminHandler::unknownKey));
  }

  private Mono<ServerResponse> withMerchant(
      ServerRequest request, java.util.function.Function<Merchant, Mono<ServerResponse>> then) {
    Optional<String> name = RequestValues.path(request, "name", Merchant::isValidName);
    if (name.isEmpty()) {
      return unknownMerchant();
    }
    return blocking(() -> merchants.findByName(name.get()))
        .flatMap(found -> found.map(then).orElseGet(MerchantAdminHandler::unknownMerchant));
  }

  private static Mono<ServerResponse> unknownMerchant() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-merchant", "No such merchant");
  }

  private static Mono<ServerResponse> unknownKey() {
    return Problems.respond(
        HttpStatus.NOT_FOUND, "unknown-api-key", "The merchant has no such API key in use");
  }
}
