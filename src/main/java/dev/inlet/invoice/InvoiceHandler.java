package dev.inlet.invoice;

import static dev.inlet.web.Blocking.blocking;

import dev.inlet.merchant.Merchant;
import dev.inlet.merchant.MerchantAuth;
import dev.inlet.web.Idempotency;
import dev.inlet.web.InvalidRequest;
import dev.inlet.web.JsonBodies;
import dev.inlet.web.Problems;
import dev.inlet.web.PublicIds;
import dev.inlet.web.RequestIdFilter;
import dev.inlet.web.RequestValues;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The merchant API's invoices ({@code /v1/invoices}, behind the API key filter): create (201, or
 * 200 for a retry with the same {@code Idempotency-Key} and body), read, list newest first with a
 * cursor, cancel. Another merchant's invoice is 404 {@code unknown-invoice}. Bad input is a 400 or
 * 422 problem ({@link InvoiceRequests}) with nothing written.
 */
public final class InvoiceHandler {
  /** Invoices per page at most. */
  static final int maxLimit = 100;

  /** Invoices per page when {@code limit} is not given. */
  static final int defaultLimit = 20;

  private static final Logger log = LoggerFactory.getLogger(InvoiceHandler.class);

  private final Invoices invoices;
  private final InvoiceSettings settings;
  private final JsonMapper json;
  private final InvoiceViews views;
  private final Clock clock;

  /**
   * @param settings expiry default and maximum
   * @param clock what "now" is for {@code expires_at}
   */
  public InvoiceHandler(Invoices invoices, InvoiceSettings settings, JsonMapper json, Clock clock) {
    this.invoices = invoices;
    this.settings = settings;
    this.json = json;
    this.views = new InvoiceViews(json);
    this.clock = clock;
  }

  /** {@code POST /v1/invoices}. */
  public Mono<ServerResponse> create(ServerRequest request) {
    Merchant merchant = MerchantAuth.merchant(request);
    String key;
    try {
      key = InvoiceRequests.idempotencyKey(request.headers().header("Idempotency-Key"));
    } catch (InvalidRequest e) {
      return problem(e);
    }
    return JsonBodies.read(request, json, InvoiceRequests.maxBodyBytes)
        .flatMap(
            body -> {
              NewInvoice invoice =
                  InvoiceRequests.newInvoice(body, json, settings, clock.instant());
              byte[] hash = Idempotency.requestHash(body, json);
              return blocking(() -> invoices.create(merchant.id(), invoice, key, hash));
            })
        .flatMap(
            creation -> {
              if (creation instanceof Invoices.Created created) {
                return blocking(() -> invoices.get(created.id()))
                    .flatMap(stored -> created(request, merchant, stored, created.fresh()));
              }
              if (creation instanceof Invoices.KeyReused) {
                return Problems.respond(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "idempotency-key-reused",
                    "This Idempotency-Key was used with another request");
              }
              return problem(InvoiceRequests.unknownAccount());
            })
        .onErrorResume(JsonBodies.InvalidBody.class, e -> JsonBodies.problem(request, e))
        .onErrorResume(InvalidRequest.class, InvoiceHandler::problem);
  }

  private Mono<ServerResponse> created(
      ServerRequest request, Merchant merchant, Invoices.StoredInvoice stored, boolean fresh) {
    return withPayments(List.of(stored))
        .flatMap(
            payments -> {
              ObjectNode view =
                  views.view(stored, payments.getOrDefault(stored.id(), List.of()), request);
              String id = view.get("id").asString();
              URI location = URI.create("/v1/invoices/" + id);
              if (fresh) {
                RequestIdFilter.logging(
                    request, () -> log.info("Invoice {} created by {}", id, merchant.name()));
                return ServerResponse.created(location)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(view);
              }
              return ServerResponse.ok()
                  .location(location)
                  .header("Idempotent-Replayed", "true")
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(view);
            });
  }

  /** {@code GET /v1/invoices/{id}}. */
  public Mono<ServerResponse> invoice(ServerRequest request) {
    Merchant merchant = MerchantAuth.merchant(request);
    Optional<String> id = RequestValues.path(request, "id", PublicIds.invoices::isValid);
    if (id.isEmpty()) {
      return unknownInvoice();
    }
    return blocking(() -> invoices.find(merchant.id(), id.get()))
        .flatMap(
            found ->
                found.map(stored -> ok(request, stored)).orElseGet(InvoiceHandler::unknownInvoice));
  }

  /** {@code GET /v1/invoices?state=&created_after=&created_before=&limit=&cursor=}. */
  public Mono<ServerResponse> list(ServerRequest request) {
    Merchant merchant = MerchantAuth.merchant(request);
    InvoiceQuery query;
    try {
      query = query(request);
    } catch (InvalidRequest e) {
      return problem(e);
    }
    return blocking(() -> invoices.list(merchant.id(), query))
        .flatMap(
            found -> {
              if (found.isEmpty()) {
                return problem(InvoiceRequests.invalidCursor());
              }
              Invoices.Page page = found.get();
              return withPayments(page.items())
                  .flatMap(
                      payments -> {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put(
                            "items",
                            page.items().stream()
                                .map(
                                    s ->
                                        views.view(
                                            s, payments.getOrDefault(s.id(), List.of()), request))
                                .toList());
                        body.put(
                            "next_cursor",
                            page.nextAfter() == null
                                ? null
                                : InvoiceRequests.cursor(page.nextAfter()));
                        return ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(body);
                      });
            });
  }

  /** {@code POST /v1/invoices/{id}/cancel}: 409 {@code invoice-not-cancellable} once ended. */
  public Mono<ServerResponse> cancel(ServerRequest request) {
    Merchant merchant = MerchantAuth.merchant(request);
    Optional<String> id = RequestValues.path(request, "id", PublicIds.invoices::isValid);
    if (id.isEmpty()) {
      return unknownInvoice();
    }
    return blocking(() -> invoices.cancel(merchant.id(), id.get()))
        .flatMap(
            result -> {
              if (result instanceof Invoices.Cancelled cancelled) {
                RequestIdFilter.logging(
                    request,
                    () -> log.info("Invoice {} cancelled by {}", id.get(), merchant.name()));
                return blocking(() -> invoices.get(cancelled.id()))
                    .flatMap(stored -> ok(request, stored));
              }
              if (result instanceof Invoices.NotCancellable not) {
                return Problems.respond(
                    HttpStatus.CONFLICT,
                    "invoice-not-cancellable",
                    "The invoice is "
                        + not.state()
                        + "; only a pending or processing one can be cancelled");
              }
              return unknownInvoice();
            });
  }

  private InvoiceQuery query(ServerRequest request) {
    String state = single(request, "state", "invalid-state");
    if (state != null && !InvoiceRequests.states.contains(state)) {
      throw InvoiceRequests.bad("invalid-state", "state must be one of " + InvoiceRequests.states);
    }
    Instant after =
        time(single(request, "created_after", "invalid-created-after"), "created_after");
    Instant before =
        time(single(request, "created_before", "invalid-created-before"), "created_before");
    String cursor = single(request, "cursor", "invalid-cursor");
    OptionalInt limit = RequestValues.wholeNumber(request, "limit", 1, maxLimit, defaultLimit);
    if (limit.isEmpty()) {
      throw InvoiceRequests.bad(
          "invalid-limit", "limit must be a whole number from 1 to " + maxLimit + ", given once");
    }
    return new InvoiceQuery(
        state,
        after,
        before,
        cursor == null ? null : InvoiceRequests.afterCursor(cursor),
        limit.getAsInt());
  }

  private static String single(ServerRequest request, String name, String slug) {
    List<String> values = request.queryParams().get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() != 1 || values.get(0) == null || values.get(0).length() > 200) {
      throw InvoiceRequests.bad(slug, name + " must be given once");
    }
    return values.get(0);
  }

  private static Instant time(String value, String name) {
    if (value == null) {
      return null;
    }
    try {
      return InvoiceRequests.time(value);
    } catch (DateTimeParseException e) {
      throw InvoiceRequests.bad(
          "invalid-" + name.replace('_', '-'), name + " must be an RFC 3339 time");
    }
  }

  private Mono<ServerResponse> ok(ServerRequest request, Invoices.StoredInvoice stored) {
    return withPayments(List.of(stored))
        .flatMap(
            payments ->
                ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(
                        views.view(
                            stored, payments.getOrDefault(stored.id(), List.of()), request)));
  }

  private Mono<Map<Long, List<Invoices.Payment>>> withPayments(
      List<Invoices.StoredInvoice> stored) {
    List<Long> ids = stored.stream().map(Invoices.StoredInvoice::id).toList();
    return blocking(() -> invoices.payments(ids));
  }

  private static Mono<ServerResponse> unknownInvoice() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-invoice", "You have no such invoice");
  }

  private static Mono<ServerResponse> problem(InvalidRequest e) {
    return e.respond();
  }
}
