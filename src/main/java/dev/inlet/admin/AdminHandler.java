package dev.inlet.admin;

import static dev.inlet.web.Blocking.blocking;

import dev.inlet.ledger.Account;
import dev.inlet.ledger.Accounts;
import dev.inlet.ledger.ConnectionView;
import dev.inlet.ledger.LedgerCheck;
import dev.inlet.merchant.Merchant;
import dev.inlet.merchant.Merchants;
import dev.inlet.web.Amounts;
import dev.inlet.web.JsonBodies;
import dev.inlet.web.Problems;
import dev.inlet.web.RequestIdFilter;
import dev.inlet.web.RequestValues;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API (bearer-guarded by {@code INLET_ADMIN_TOKEN}): accounts, their connections and the
 * ledger check. Amounts are unsigned 64-bit integers in the asset's smallest unit, written as
 * decimal strings so no JSON client rounds them through a double.
 *
 * <p>Path and query values are checked ({@link RequestValues}) before any SQL: a {@code {name}}
 * that no account can have ({@link Account#isValidName}) is a 404 {@code unknown-account}, as for a
 * name no account has — never a 500 — and a malformed {@code limit} a 400 {@code invalid-limit}.
 */
public final class AdminHandler {
  /** Largest request body, bytes. */
  public static final int maxBodyBytes = 4_096;

  /** Connections listed per account at most. */
  public static final int maxConnectionsListed = 1_000;

  /** Connections listed when the request gives no {@code limit}. */
  public static final int defaultConnectionsListed = 100;

  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
  private final Accounts accounts;
  private final Merchants merchants;
  private final JsonMapper json;
  private final String assetCode;
  private final int assetScale;

  public AdminHandler(
      Accounts accounts, Merchants merchants, JsonMapper json, String assetCode, int assetScale) {
    this.accounts = accounts;
    this.merchants = merchants;
    this.json = json;
    this.assetCode = assetCode;
    this.assetScale = assetScale;
  }

  /**
   * {@code POST /admin/accounts} with {@code {"name": "alice", "receive_limit": "1000"}} (limit
   * optional).
   */
  public Mono<ServerResponse> createAccount(ServerRequest request) {
    return JsonBodies.read(request, json, maxBodyBytes)
        .flatMap(
            body -> {
              String name = text(body, "name");
              if (!Account.isValidName(name)) {
                return Problems.respond(
                    HttpStatus.BAD_REQUEST,
                    "invalid-account-name",
                    "name must be " + Account.nameRule);
              }
              Long limit;
              try {
                limit =
                    body.has("receive_limit") && !body.get("receive_limit").isNull()
                        ? Amounts.parse(text(body, "receive_limit"))
                        : null;
              } catch (IllegalArgumentException e) {
                return Problems.respond(
                    HttpStatus.BAD_REQUEST, "invalid-amount", "receive_limit: " + e.getMessage());
              }
              JsonNode merchantField = body.get("merchant");
              if (merchantField != null
                  && !merchantField.isNull()
                  && (!merchantField.isString()
                      || !Merchant.isValidName(merchantField.asString()))) {
                return Problems.respond(
                    HttpStatus.BAD_REQUEST,
                    "invalid-merchant-name",
                    "merchant must be " + Merchant.nameRule);
              }
              String merchant =
                  merchantField == null || merchantField.isNull() ? null : merchantField.asString();
              // 0: no merchant; -1: a merchant name no merchant has.
              Mono<Long> owner =
                  merchant == null
                      ? Mono.just(0L)
                      : blocking(
                          () -> merchants.findByName(merchant).map(Merchant::id).orElse(-1L));
              return owner.flatMap(
                  merchantId ->
                      merchantId < 0
                          ? Problems.respond(
                              HttpStatus.BAD_REQUEST,
                              "unknown-merchant",
                              "No merchant named '" + merchant + "'")
                          : created(request, name, limit, merchantId == 0 ? null : merchantId));
            })
        .onErrorResume(JsonBodies.InvalidBody.class, e -> JsonBodies.problem(request, e));
  }

  private Mono<ServerResponse> created(
      ServerRequest request, String name, Long limit, Long merchantId) {
    return blocking(() -> accounts.create(name, assetCode, assetScale, limit, merchantId))
        .flatMap(
            created ->
                created
                    .map(
                        a -> {
                          RequestIdFilter.logging(
                              request, () -> log.info("Account {} created", a.name()));
                          return a;
                        })
                    .map(
                        a ->
                            ServerResponse.created(URI.create("/admin/accounts/" + a.name()))
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(view(a, request)))
                    .orElseGet(
                        () ->
                            Problems.respond(
                                HttpStatus.CONFLICT,
                                "account-exists",
                                "An account named '" + name + "' exists")));
  }

  /** {@code GET /admin/accounts/{name}}. */
  public Mono<ServerResponse> account(ServerRequest request) {
    Optional<String> valid = RequestValues.path(request, "name", Account::isValidName);
    if (valid.isEmpty()) {
      return impossible();
    }
    String name = valid.get();
    return blocking(() -> accounts.findByName(name))
        .flatMap(
            found ->
                found
                    .map(
                        a ->
                            ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(view(a, request)))
                    .orElseGet(() -> unknown(name)));
  }

  /** {@code GET /admin/accounts/{name}/connections?limit=100}: newest first. */
  public Mono<ServerResponse> connections(ServerRequest request) {
    OptionalInt limit =
        RequestValues.wholeNumber(
            request, "limit", 1, maxConnectionsListed, defaultConnectionsListed);
    if (limit.isEmpty()) {
      return Problems.respond(
          HttpStatus.BAD_REQUEST,
          "invalid-limit",
          "limit must be a whole number from 1 to " + maxConnectionsListed + ", given once");
    }
    Optional<String> valid = RequestValues.path(request, "name", Account::isValidName);
    if (valid.isEmpty()) {
      return impossible();
    }
    String name = valid.get();
    int max = limit.getAsInt();
    return blocking(() -> accounts.findByName(name).map(a -> accounts.connections(a.id(), max)))
        .flatMap(
            found ->
                found
                    .map(
                        list ->
                            ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(
                                    Map.of(
                                        "account",
                                        name,
                                        "connections",
                                        list.stream().map(AdminHandler::view).toList())))
                    .orElseGet(() -> unknown(name)));
  }

  /** {@code GET /admin/ledger/check}: 200 with the figures, or 409 problem naming what differs. */
  public Mono<ServerResponse> check(ServerRequest request) {
    return blocking(accounts::check)
        .flatMap(
            check -> {
              Map<String, Object> figures = new LinkedHashMap<>();
              figures.put("accounts", check.accounts());
              figures.put("transfers", check.transfers());
              figures.put("packets", check.packets());
              figures.put("entries", check.entries());
              figures.put("entries_total", check.entriesTotal().toString());
              figures.put("credited", check.credited().toString());
              if (check.consistent()) {
                figures.put("consistent", true);
                return ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(figures);
              }
              return inconsistent(check, figures);
            });
  }

  private static Mono<ServerResponse> inconsistent(LedgerCheck check, Map<String, Object> figures) {
    ProblemDetail p =
        Problems.problem(
            HttpStatus.CONFLICT,
            "ledger-inconsistent",
            check.differences().size() + " difference(s) between balances and entries");
    p.setProperty("differences", check.differences());
    p.setProperty("figures", figures);
    return ServerResponse.status(HttpStatus.CONFLICT)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyValue(p);
  }

  private static Map<String, Object> view(Account a, ServerRequest request) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", a.name());
    m.put("payment_pointer", "$" + request.uri().getAuthority() + "/" + a.name());
    m.put("asset_code", a.assetCode());
    m.put("asset_scale", a.assetScale());
    m.put("balance", Long.toUnsignedString(a.balance()));
    m.put("reserved", Long.toUnsignedString(a.reserved()));
    m.put("available", Long.toUnsignedString(a.balance() - a.reserved()));
    m.put("received", Long.toUnsignedString(a.received()));
    m.put(
        "receive_limit", a.receiveLimit() == null ? null : Long.toUnsignedString(a.receiveLimit()));
    m.put("created_at", a.createdAt().toString());
    return m;
  }

  private static Map<String, Object> view(ConnectionView c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("opened_at", c.openedAt().toString());
    m.put("source_address", c.sourceAddress());
    m.put("total_received", Long.toUnsignedString(c.totalReceived()));
    m.put("packets_fulfilled", c.packetsFulfilled());
    m.put("packets_rejected", c.packetsRejected());
    m.put("last_packet_at", c.lastPacketAt() == null ? null : c.lastPacketAt().toString());
    m.put("closed", c.closed());
    m.put(
        "streams",
        c.streams().stream()
            .map(
                s -> {
                  Map<String, Object> v = new LinkedHashMap<>();
                  v.put("stream_id", s.streamId());
                  v.put("received", Long.toUnsignedString(s.received()));
                  v.put("receive_max", Long.toUnsignedString(s.receiveMax()));
                  v.put("closed", s.closed());
                  return v;
                })
            .toList());
    return m;
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || !node.isString() ? null : node.asString();
  }

  private static Mono<ServerResponse> unknown(String name) {
    return Problems.respond(
        HttpStatus.NOT_FOUND, "unknown-account", "No account named '" + name + "'");
  }

  /**
   * 404 for a name no account can have: the same answer as for a name no account has, without
   * echoing what was sent (it may be 4 kB of anything).
   */
  private static Mono<ServerResponse> impossible() {
    return Problems.respond(
        HttpStatus.NOT_FOUND,
        "unknown-account",
        "No account can have that name: names are " + Account.nameRule);
  }
}
