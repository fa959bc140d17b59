package dev.inlet.voucher;

import static dev.inlet.web.Blocking.blocking;

import dev.inlet.merchant.MerchantAuth;
import dev.inlet.voucher.Vouchers.StoredVoucher;
import dev.inlet.web.Idempotency;
import dev.inlet.web.JsonBodies;
import dev.inlet.web.JsonMembers;
import dev.inlet.web.Problems;
import dev.inlet.web.PublicIds;
import dev.inlet.web.RequestValues;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiFunction;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Vouchers over HTTP: {@code POST /v1/vouchers} (merchant key) and {@code POST /admin/vouchers}
 * (admin token) with {@code {"account", "amount", "expires_at", "note"}} and an optional {@code
 * Idempotency-Key} → 201; {@code GET …/vouchers} (newest first, {@code state}, {@code limit},
 * {@code cursor}), {@code GET …/vouchers/{id}}, {@code POST …/vouchers/{id}/revoke}. A voucher's
 * JSON is {@code inlet_voucher_json} (db/V5) with its {@code code}, {@code payment_pointer} ({@code
 * $<host>/vouchers/<code>}) and {@code spsp_url}. Another merchant's voucher is 404.
 */
public final class VoucherHandler {
  private static final Set<String> states = Set.of("active", "redeemed", "expired", "revoked");
  private static final List<String> order =
      List.of(
          "id",
          "code",
          "payment_pointer",
          "spsp_url",
          "account",
          "state",
          "amount",
          "paid_out",
          "remaining",
          "released");

  private final Vouchers vouchers;
  private final VoucherSettings settings;
  private final JsonMapper json;
  private final Clock clock;

  /** Answers with {@code vouchers}; {@code clock} checks {@code expires_at}. */
  public VoucherHandler(Vouchers vouchers, VoucherSettings settings, JsonMapper json, Clock clock) {
    this.vouchers = vouchers;
    this.settings = settings;
    this.json = json;
    this.clock = clock;
  }

  /** {@code POST /v1/vouchers}: from one of the merchant's accounts. */
  public Mono<ServerResponse> createForMerchant(ServerRequest request) {
    return create(request, "/v1/vouchers/", MerchantAuth.merchant(request).id());
  }

  /** {@code POST /admin/vouchers}: from any receiving account. */
  public Mono<ServerResponse> createForAdmin(ServerRequest request) {
    return create(request, "/admin/vouchers/", null);
  }

  private Mono<ServerResponse> create(ServerRequest request, String path, Long merchant) {
    return withBody(
        request,
        json,
        (body, key) -> {
          VoucherRequests.VoucherBody v = VoucherRequests.voucher(body, settings, clock.instant());
          byte[] hash = Idempotency.requestHash(body, json);
          return blocking(
                  () ->
                      vouchers.create(
                          new Vouchers.NewVoucher(
                              merchant,
                              v.account(),
                              v.amount(),
                              v.expiresAt(),
                              v.note(),
                              key,
                              hash)))
              .flatMap(
                  creation -> {
                    if (creation instanceof Vouchers.Created c) {
                      return created(
                          URI.create(path + c.voucher().publicId()),
                          c.fresh(),
                          view(c.voucher(), request));
                    }
                    if (creation instanceof Vouchers.Insufficient i) {
                      return Problems.respond(
                          HttpStatus.CONFLICT,
                          "insufficient-balance",
                          "The account's available balance is "
                              + Long.toUnsignedString(i.available()));
                    }
                    if (creation instanceof Vouchers.KeyReused) {
                      return keyReused();
                    }
                    return Problems.respond(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "unknown-account",
                        "account must name an account");
                  });
        });
  }

  /** {@code GET /v1/vouchers/{id}}. */
  public Mono<ServerResponse> getForMerchant(ServerRequest request) {
    return get(request, MerchantAuth.merchant(request).id());
  }

  /** {@code GET /admin/vouchers/{id}}. */
  public Mono<ServerResponse> getForAdmin(ServerRequest request) {
    return get(request, null);
  }

  private Mono<ServerResponse> get(ServerRequest request, Long merchant) {
    return withId(request, id -> vouchers.find(merchant, id));
  }

  /** {@code POST /v1/vouchers/{id}/revoke}. */
  public Mono<ServerResponse> revokeForMerchant(ServerRequest request) {
    return withId(request, id -> vouchers.revoke(MerchantAuth.merchant(request).id(), id));
  }

  /** {@code POST /admin/vouchers/{id}/revoke}. */
  public Mono<ServerResponse> revokeForAdmin(ServerRequest request) {
    return withId(request, id -> vouchers.revoke(null, id));
  }

  private Mono<ServerResponse> withId(
      ServerRequest request, java.util.function.Function<String, Optional<StoredVoucher>> read) {
    Optional<String> id = RequestValues.path(request, "id", PublicIds.vouchers::isValid);
    if (id.isEmpty()) {
      return unknown();
    }
    return blocking(() -> read.apply(id.get()))
        .flatMap(
            found ->
                found
                    .map(
                        v ->
                            ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(view(v, request)))
                    .orElseGet(VoucherHandler::unknown));
  }

  /** {@code GET /v1/vouchers}. */
  public Mono<ServerResponse> listForMerchant(ServerRequest request) {
    return list(request, MerchantAuth.merchant(request).id());
  }

  /** {@code GET /admin/vouchers}. */
  public Mono<ServerResponse> listForAdmin(ServerRequest request) {
    return list(request, null);
  }

  private Mono<ServerResponse> list(ServerRequest request, Long merchant) {
    OptionalInt limit = RequestValues.wholeNumber(request, "limit", 1, 100, 20);
    if (limit.isEmpty()) {
      return Problems.respond(
          HttpStatus.BAD_REQUEST, "invalid-limit", "limit must be a whole number from 1 to 100");
    }
    String state = request.queryParam("state").orElse(null);
    if (state != null && !states.contains(state)) {
      return Problems.respond(
          HttpStatus.BAD_REQUEST, "invalid-state", "state must be one of " + states);
    }
    String cursor = request.queryParam("cursor").orElse(null);
    if (cursor != null && !PublicIds.vouchers.isValid(cursor)) {
      return Problems.respond(
          HttpStatus.BAD_REQUEST, "invalid-cursor", "cursor must be a next_cursor given before");
    }
    int n = limit.getAsInt();
    return blocking(() -> vouchers.list(merchant, state, cursor, n + 1))
        .flatMap(
            page -> {
              List<ObjectNode> items = page.stream().limit(n).map(v -> view(v, request)).toList();
              String next = page.size() > n ? page.get(n - 1).publicId() : null;
              Map<String, Object> body = new java.util.LinkedHashMap<>();
              body.put("items", items);
              body.put("next_cursor", next);
              return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
            });
  }

  /** The voucher's JSON with what depends on the request: its pointer, as the request's host. */
  ObjectNode view(StoredVoucher v, ServerRequest request) {
    ObjectNode stored = (ObjectNode) json.readTree(v.json());
    String host = request.uri().getAuthority();
    stored.put("code", v.code());
    stored.put("payment_pointer", "$" + host + "/vouchers/" + v.code());
    stored.put("spsp_url", request.uri().getScheme() + "://" + host + "/vouchers/" + v.code());
    return JsonMembers.ordered(stored, order, json);
  }

  /** Reads a JSON body and the Idempotency-Key, answering bad ones with their problem. */
  static Mono<ServerResponse> withBody(
      ServerRequest request,
      JsonMapper json,
      BiFunction<JsonNode, String, Mono<ServerResponse>> handler) {
    return JsonBodies.withIdempotencyKey(request, json, VoucherRequests.maxBodyBytes, handler);
  }

  /** 201 with the new object, or 200 {@code Idempotent-Replayed} for a retry's earlier one. */
  static Mono<ServerResponse> created(URI location, boolean fresh, Object body) {
    ServerResponse.BodyBuilder response =
        fresh
            ? ServerResponse.created(location)
            : ServerResponse.ok().location(location).header("Idempotent-Replayed", "true");
    return response.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
  }

  static Mono<ServerResponse> keyReused() {
    return Problems.respond(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "idempotency-key-reused",
        "This Idempotency-Key was used with another request");
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-voucher", "No such voucher");
  }
}
