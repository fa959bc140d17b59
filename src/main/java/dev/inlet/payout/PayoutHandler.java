package dev.inlet.payout;

import static dev.inlet.web.Blocking.blocking;

import dev.inlet.merchant.MerchantAuth;
import dev.inlet.web.Idempotency;
import dev.inlet.web.JsonBodies;
import dev.inlet.web.Problems;
import dev.inlet.web.PublicIds;
import dev.inlet.web.RequestIdFilter;
import dev.inlet.web.RequestValues;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
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
 * Payouts and refunds over HTTP: {@code POST /v1/payouts} (merchant key) and {@code POST
 * /admin/payouts} (admin token) reserve the amount and answer 202 while Inlet sends it; {@code GET
 * …/payouts/{id}} shows how it went; {@code POST /v1/invoices/{id}/refunds} sends money back over
 * the connection that paid; {@code GET /admin/payouts/in-doubt} and {@code POST
 * /admin/payouts/{id}/packets/{sequence}} let an operator settle packets whose answer was lost. Bad
 * input is a 400/422 problem and a refusal a 409 problem, with nothing reserved.
 */
public final class PayoutHandler {
  private static final Logger log = LoggerFactory.getLogger(PayoutHandler.class);

  private final Payouts payouts;
  private final PayoutService service;
  private final InDoubtPackets inDoubt;
  private final JsonMapper json;

  public PayoutHandler(
      Payouts payouts, PayoutService service, InDoubtPackets inDoubt, JsonMapper json) {
    this.payouts = payouts;
    this.service = service;
    this.inDoubt = inDoubt;
    this.json = json;
  }

  /** {@code POST /v1/payouts}: from one of the merchant's accounts. */
  public Mono<ServerResponse> createForMerchant(ServerRequest request) {
    long merchant = MerchantAuth.merchant(request).id();
    return create(request, "/v1/payouts/", merchant);
  }

  /** {@code POST /admin/payouts}: from any receiving account. */
  public Mono<ServerResponse> createForAdmin(ServerRequest request) {
    return create(request, "/admin/payouts/", null);
  }

  private Mono<ServerResponse> create(ServerRequest request, String path, Long merchant) {
    return withBody(
        request,
        (body, key) -> {
          PayoutRequests.PayoutBody p = PayoutRequests.payout(body);
          byte[] hash = Idempotency.requestHash(body, json);
          return blocking(
                  () ->
                      payouts.create(
                          new NewPayout(
                              merchant,
                              p.account(),
                              "payout",
                              p.receiver(),
                              null,
                              null,
                              p.amount(),
                              key,
                              hash)))
              .flatMap(creation -> created(request, path, creation));
        });
  }

  /** {@code POST /v1/invoices/{id}/refunds}. */
  public Mono<ServerResponse> refund(ServerRequest request) {
    long merchant = MerchantAuth.merchant(request).id();
    Optional<String> invoice = RequestValues.path(request, "id", PublicIds.invoices::isValid);
    if (invoice.isEmpty()) {
      return Problems.respond(HttpStatus.NOT_FOUND, "unknown-invoice", "No such invoice");
    }
    return withBody(
        request,
        (body, key) -> {
          PayoutRequests.RefundBody r = PayoutRequests.refund(body);
          byte[] hash = Idempotency.requestHash(body, json);
          return blocking(
                  () ->
                      payouts.createRefund(
                          merchant, invoice.get(), r.payment(), r.amount(), key, hash))
              .flatMap(creation -> created(request, "/v1/payouts/", creation));
        });
  }

  /** {@code GET /v1/payouts/{id}}: the merchant's payout or refund. */
  public Mono<ServerResponse> getForMerchant(ServerRequest request) {
    return get(request, MerchantAuth.merchant(request).id());
  }

  /** {@code GET /admin/payouts/{id}}. */
  public Mono<ServerResponse> getForAdmin(ServerRequest request) {
    return get(request, null);
  }

  private Mono<ServerResponse> get(ServerRequest request, Long merchant) {
    Optional<String> id = RequestValues.path(request, "id", PublicIds.payouts::isValid);
    if (id.isEmpty()) {
      return unknownPayout();
    }
    return blocking(() -> payouts.find(merchant, id.get()))
        .flatMap(
            found ->
                found.map(p -> json(HttpStatus.OK, p)).orElseGet(PayoutHandler::unknownPayout));
  }

  /** {@code GET /admin/payouts/in-doubt?limit=}: oldest first. */
  public Mono<ServerResponse> inDoubt(ServerRequest request) {
    OptionalInt limit = RequestValues.wholeNumber(request, "limit", 1, 1000, 100);
    if (limit.isEmpty()) {
      return Problems.respond(
          HttpStatus.BAD_REQUEST, "invalid-limit", "limit must be a whole number from 1 to 1000");
    }
    return blocking(() -> inDoubt.list(limit.getAsInt()))
        .flatMap(
            items ->
                ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("items", items)));
  }

  /** {@code POST /admin/payouts/{id}/packets/{sequence}} {@code {"outcome", "delivered"}}. */
  public Mono<ServerResponse> resolve(ServerRequest request) {
    Optional<String> id = RequestValues.path(request, "id", PublicIds.payouts::isValid);
    Optional<String> sequence =
        RequestValues.path(request, "sequence", s -> s.matches("[1-9][0-9]{0,17}"));
    if (id.isEmpty() || sequence.isEmpty()) {
      return Problems.respond(HttpStatus.NOT_FOUND, "unknown-packet", "No such payout or packet");
    }
    return withBody(
        request,
        (body, key) -> {
          PayoutRequests.Resolution r = PayoutRequests.resolution(body);
          return blocking(
                  () ->
                      inDoubt.resolve(
                          id.get(), Long.parseLong(sequence.get()), r.fulfilled(), r.delivered()))
              .flatMap(
                  resolved -> {
                    if (resolved instanceof InDoubtPackets.Done done) {
                      RequestIdFilter.logging(
                          request,
                          () ->
                              log.info(
                                  "Packet {} of payout {} resolved {}",
                                  sequence.get(),
                                  id.get(),
                                  r.fulfilled() ? "fulfilled" : "rejected"));
                      return json(HttpStatus.OK, done.payout());
                    }
                    return Problems.respond(
                        HttpStatus.CONFLICT,
                        "packet-not-in-doubt",
                        "No such packet of an ended payout is in doubt");
                  });
        });
  }

  private Mono<ServerResponse> created(
      ServerRequest request, String path, PayoutCreation creation) {
    if (creation instanceof PayoutCreation.Created c) {
      URI location = URI.create(path + c.payout().publicId());
      if (!c.fresh()) {
        return ServerResponse.ok()
            .location(location)
            .header("Idempotent-Replayed", "true")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(c.payout().json());
      }
      StoredPayout p = c.payout();
      RequestIdFilter.logging(
          request,
          () ->
              log.info(
                  "{} {} of {} started",
                  p.kind(),
                  p.publicId(),
                  Long.toUnsignedString(p.amount())));
      service.start(p);
      return ServerResponse.accepted()
          .location(location)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(p.json());
    }
    if (creation instanceof PayoutCreation.Insufficient i) {
      return Problems.respond(
          HttpStatus.CONFLICT,
          "insufficient-balance",
          "The account's available balance is " + Long.toUnsignedString(i.available()));
    }
    if (creation instanceof PayoutCreation.KeyReused) {
      return Problems.respond(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "idempotency-key-reused",
          "This Idempotency-Key was used with another request");
    }
    if (creation instanceof PayoutCreation.RefundRefused r) {
      HttpStatus status =
          switch (r.slug()) {
            case "unknown-invoice" -> HttpStatus.NOT_FOUND;
            case "payment-required", "unknown-payment" -> HttpStatus.UNPROCESSABLE_CONTENT;
            default -> HttpStatus.CONFLICT;
          };
      return Problems.respond(status, r.slug(), r.detail());
    }
    return Problems.respond(
        HttpStatus.UNPROCESSABLE_CONTENT, "unknown-account", "account must name an account");
  }

  private Mono<ServerResponse> withBody(
      ServerRequest request, BiFunction<JsonNode, String, Mono<ServerResponse>> handler) {
    return JsonBodies.withIdempotencyKey(request, json, PayoutRequests.maxBodyBytes, handler);
  }

  private static Mono<ServerResponse> json(HttpStatus status, StoredPayout p) {
    return ServerResponse.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(p.json());
  }

  private static Mono<ServerResponse> unknownPayout() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-payout", "No such payout");
  }
}
