package dev.inlet.voucher;

import dev.inlet.merchant.MerchantAuth;
import dev.inlet.payout.PayoutService;
import dev.inlet.voucher.Mandates.Mandate;
import dev.inlet.voucher.Mandates.View;
import dev.inlet.web.Blocking;
import dev.inlet.web.Idempotency;
import dev.inlet.web.Problems;
import dev.inlet.web.PublicIds;
import dev.inlet.web.RequestValues;
import dev.inlet.web.Times;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pull-payment mandates over HTTP: {@code POST /v1/mandates} (merchant key) and {@code POST
 * /admin/mandates} with {@code {"account", "amount" (per interval), "interval" (ISO 8601 duration),
 * "cycles", "cap", "start", "expires_at", "note"}} and an optional {@code Idempotency-Key} → 201;
 * {@code GET …/mandates/{id}}; {@code POST …/mandates/{id}/revoke}, which stops it at once. A
 * mandate's JSON has its {@code payment_pointer} ({@code $<host>/mandates/<code>}), the current
 * {@code cycle}, what is {@code available} now, and {@code cycles_pulled}: per cycle that pulled,
 * its start, end and amount pulled.
 */
public final class MandateHandler {
  private final Mandates mandates;
  private final PayoutService payouts;
  private final JsonMapper json;
  private final Clock clock;

  /**
   * Answers with {@code mandates}; a revoke also stops the pull being sent through {@code payouts}.
   */
  public MandateHandler(Mandates mandates, PayoutService payouts, JsonMapper json, Clock clock) {
    this.mandates = mandates;
    this.payouts = payouts;
    this.json = json;
    this.clock = clock;
  }

  /** {@code POST /v1/mandates}. */
  public Mono<ServerResponse> createForMerchant(ServerRequest request) {
    return create(request, "/v1/mandates/", MerchantAuth.merchant(request).id());
  }

  /** {@code POST /admin/mandates}. */
  public Mono<ServerResponse> createForAdmin(ServerRequest request) {
    return create(request, "/admin/mandates/", null);
  }

  private Mono<ServerResponse> create(ServerRequest request, String path, Long merchant) {
    return VoucherHandler.withBody(
        request,
        json,
        (body, key) -> {
          VoucherRequests.MandateBody m = VoucherRequests.mandate(body, clock.instant());
          byte[] hash = Idempotency.requestHash(body, json);
          return Blocking.blocking(
                  () -> mandates.create(new Mandates.NewMandate(merchant, m, key, hash)))
              .flatMap(
                  creation -> {
                    if (creation.view().isPresent()) {
                      View v = creation.view().get();
                      return VoucherHandler.created(
                          URI.create(path + v.mandate().publicId()),
                          creation.fresh(),
                          view(v, request));
                    }
                    if (creation.refusal().equals("idempotency-key-reused")) {
                      return VoucherHandler.keyReused();
                    }
                    return Problems.respond(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "unknown-account",
                        "account must name an account");
                  });
        });
  }

  /** {@code GET /v1/mandates/{id}}. */
  public Mono<ServerResponse> getForMerchant(ServerRequest request) {
    return withId(request, id -> mandates.find(MerchantAuth.merchant(request).id(), id));
  }

  /** {@code GET /admin/mandates/{id}}. */
  public Mono<ServerResponse> getForAdmin(ServerRequest request) {
    return withId(request, id -> mandates.find(null, id));
  }

  /** {@code POST /v1/mandates/{id}/revoke}. */
  public Mono<ServerResponse> revokeForMerchant(ServerRequest request) {
    return withId(request, id -> revoke(MerchantAuth.merchant(request).id(), id));
  }

  /** {@code POST /admin/mandates/{id}/revoke}. */
  public Mono<ServerResponse> revokeForAdmin(ServerRequest request) {
    return withId(request, id -> revoke(null, id));
  }

  private Optional<View> revoke(Long merchant, String id) {
    Optional<View> v = mandates.revoke(merchant, id);
    payouts.stopRevoked();
    return v;
  }

  private Mono<ServerResponse> withId(
      ServerRequest request, Function<String, Optional<View>> read) {
    Optional<String> id = RequestValues.path(request, "id", PublicIds.mandates::isValid);
    if (id.isEmpty()) {
      return unknown();
    }
    return Blocking.blocking(() -> read.apply(id.get()))
        .flatMap(
            found ->
                found
                    .map(
                        v ->
                            ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(view(v, request)))
                    .orElseGet(MandateHandler::unknown));
  }

  /** The mandate's JSON. */
  ObjectNode view(View v, ServerRequest request) {
    Mandate m = v.mandate();
    String host = request.uri().getAuthority();
    ObjectNode out = json.createObjectNode();
    out.put("id", m.publicId());
    out.put("code", m.code());
    out.put("payment_pointer", "$" + host + "/mandates/" + m.code());
    out.put("spsp_url", request.uri().getScheme() + "://" + host + "/mandates/" + m.code());
    out.put("account", m.account());
    out.put("state", m.state());
    out.put("amount", Long.toUnsignedString(m.amount()));
    out.put("interval", m.interval().text());
    if (m.cycles() == null) {
      out.putNull("cycles");
    } else {
      out.put("cycles", m.cycles());
    }
    out.put("cap", m.cap());
    out.put("start", Times.format(m.start()));
    out.put("expires_at", Times.format(m.expiresAt()));
    out.put("asset_code", m.assetCode());
    out.put("asset_scale", m.assetScale());
    out.put("note", m.note());
    out.put("cycle", v.cycle());
    out.put("available", Long.toUnsignedString(v.available()));
    ArrayNode cycles = out.putArray("cycles_pulled");
    for (Map.Entry<Long, Long> c : v.pulledByCycle().entrySet()) {
      ObjectNode row = cycles.addObject();
      row.put("cycle", c.getKey());
      row.put("starts_at", Times.format(m.interval().cycleStart(m.start(), c.getKey())));
      row.put("ends_at", Times.format(m.interval().cycleStart(m.start(), c.getKey() + 1)));
      row.put("pulled", Long.toUnsignedString(c.getValue()));
    }
    out.put("created_at", Times.format(m.createdAt()));
    out.put("ended_at", Times.format(m.endedAt()));
    return out;
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-mandate", "No such mandate");
  }
}
