package dev.inlet.admission;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.ledger.Account;
import dev.inlet.ledger.Accounts;
import dev.inlet.merchant.MerchantAuth;
import dev.inlet.stream.AdmissionReason;
import dev.inlet.web.Amounts;
import dev.inlet.web.InvalidRequest;
import dev.inlet.web.JsonBodies;
import dev.inlet.web.Problems;
import dev.inlet.web.RequestValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admission's HTTP side: the merchant's check endpoint ({@code GET /v1/accounts/{name}/admission}),
 * and on the admin API an account's limits ({@code GET|PUT /admin/accounts/{name}/limits}) and the
 * recent refusals ({@code GET /admin/admission/refusals}). Amounts and rates are decimal strings
 * (unsigned 64-bit, smallest unit; rates per second).
 */
public final class AdmissionHandler {
  /** Largest limits body, bytes. */
  static final int maxBodyBytes = 8_192;

  /** Deny-list prefixes per account at most. */
  static final int maxDenyPrefixes = 100;

  private static final Set<String> limitFields =
      Set.of(
          "max_open_connections",
          "max_connection_amount",
          "connection_flow_rate",
          "account_flow_rate",
          "sender_flow_rate",
          "deny_prefixes");

  private final Accounts accounts;
  private final AdmissionPolicy policy;
  private final ConnectionQuota quota;
  private final Refusals refusals;
  private final JsonMapper json;

  AdmissionHandler(
      Accounts accounts,
      AdmissionPolicy policy,
      ConnectionQuota quota,
      Refusals refusals,
      JsonMapper json) {
    this.accounts = accounts;
    this.policy = policy;
    this.quota = quota;
    this.refusals = refusals;
    this.json = json;
  }

  /**
   * {@code GET /v1/accounts/{name}/admission?source=&amount=&flow_rate=} (each optional): whether a
   * connection from {@code source} for {@code amount} at {@code flow_rate} per second would be
   * admitted now, without opening anything: {@code {"ok": true}} or {@code {"ok": false, "reason":
   * "<reason>"}}. Checked as the service checks: sender-blocked, system-limit, receiver-quota (open
   * connections, or the receive limit's room), max-amount, flow-rate. 404 for an account that is
   * not the merchant's; 400 for a malformed value.
   */
  public Mono<ServerResponse> check(ServerRequest request) {
    long merchantId = MerchantAuth.merchant(request).id();
    Optional<String> name = RequestValues.path(request, "name", Account::isValidName);
    if (name.isEmpty()) {
      return unknownAccount();
    }
    String source;
    Long amount;
    Long flowRate;
    try {
      source = request.queryParam("source").map(AdmissionHandler::address).orElse(null);
      amount = request.queryParam("amount").map(v -> amount("amount", v)).orElse(null);
      flowRate = request.queryParam("flow_rate").map(v -> amount("flow_rate", v)).orElse(null);
    } catch (InvalidRequest e) {
      return e.respond();
    }
    return blocking(
            () ->
                accounts
                    .findByName(name.get())
                    .filter(a -> a.merchantId() != null && a.merchantId() == merchantId)
                    .map(a -> Optional.ofNullable(decide(a, source, amount, flowRate))))
        .flatMap(
            found ->
                found
                    .map(
                        reason -> {
                          Map<String, Object> body = new LinkedHashMap<>();
                          body.put("ok", reason.isEmpty());
                          reason.ifPresent(r -> body.put("reason", r.code()));
                          return ServerResponse.ok()
                              .contentType(MediaType.APPLICATION_JSON)
                              .bodyValue(body);
                        })
                    .orElseGet(AdmissionHandler::unknownAccount));
  }

  private AdmissionReason decide(Account a, String source, Long amount, Long flowRate) {
    Limits limits = policy.of(a.id());
    if (source != null && limits.blocks(source)) {
      return AdmissionReason.SENDER_BLOCKED;
    }
    AdmissionReason open = quota.check(a.id());
    if (open != null) {
      return open;
    }
    if (amount != null && a.receiveLimit() != null) {
      long room =
          Long.compareUnsigned(a.receiveLimit(), a.received()) > 0
              ? a.receiveLimit() - a.received()
              : 0;
      if (Long.compareUnsigned(amount, room) > 0) {
        return AdmissionReason.RECEIVER_QUOTA;
      }
    }
    if (amount != null
        && limits.maxConnectionAmount() != null
        && Long.compareUnsigned(amount, limits.maxConnectionAmount()) > 0) {
      return AdmissionReason.MAX_AMOUNT;
    }
    if (flowRate != null
        && ((limits.connectionFlowRate() != null
                && !FlowLimiter.fits(flowRate, limits.connectionFlowRate()))
            || (limits.accountFlowRate() != null
                && !FlowLimiter.fits(flowRate, limits.accountFlowRate())))) {
      return AdmissionReason.FLOW_RATE;
    }
    if (flowRate != null
        && source != null
        && limits.senderFlowRate() != null
        && !FlowLimiter.fits(flowRate, limits.senderFlowRate())) {
      return AdmissionReason.SENDER_QUOTA;
    }
    return null;
  }

  /** {@code GET /admin/accounts/{name}/limits}: the account's own limits and those in force. */
  public Mono<ServerResponse> limits(ServerRequest request) {
    return withAccount(request, this::limitsView);
  }

  /**
   * {@code PUT /admin/accounts/{name}/limits} with any of {@code max_open_connections} (integer ≥
   * 1), {@code max_connection_amount}, {@code connection_flow_rate}, {@code account_flow_rate},
   * {@code sender_flow_rate} (decimal strings; rates > 0), {@code deny_prefixes} (ILP addresses):
   * replaces the account's own limits (an absent or null field takes the default), in force on
   * every replica within {@link AdmissionConfig#reloadInterval}.
   */
  public Mono<ServerResponse> setLimits(ServerRequest request) {
    return JsonBodies.read(request, json, maxBodyBytes)
        .flatMap(
            body -> {
              AccountLimits limits;
              try {
                limits = parse(body);
              } catch (InvalidRequest e) {
                return e.respond();
              }
              return withAccount(
                  request,
                  a ->
                      blocking(
                              () -> {
                                policy.set(a.id(), limits);
                                return a;
                              })
                          .flatMap(this::limitsView));
            })
        .onErrorResume(JsonBodies.InvalidBody.class, e -> JsonBodies.problem(request, e));
  }

  /** {@code GET /admin/admission/refusals}: who was refused recently, why and how often. */
  public Mono<ServerResponse> recentRefusals(ServerRequest request) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Refusals.Recent r : refusals.recent()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("where", r.where());
      m.put("who", r.who());
      m.put("reason", r.reason());
      m.put("count", r.count());
      m.put("first_at", r.first().toString());
      m.put("last_at", r.last().toString());
      list.add(m);
    }
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refusals", list));
  }

  private Mono<ServerResponse> limitsView(Account a) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("account", a.name());
    body.put("own", view(policy.own(a.id())));
    Limits l = policy.of(a.id());
    body.put(
        "in_force",
        view(
            new AccountLimits(
                l.maxOpenConnections(),
                l.maxConnectionAmount(),
                l.connectionFlowRate(),
                l.accountFlowRate(),
                l.senderFlowRate(),
                l.denyPrefixes())));
    return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
  }

  private static Map<String, Object> view(AccountLimits l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max_open_connections", l.maxOpenConnections());
    m.put("max_connection_amount", text(l.maxConnectionAmount()));
    m.put("connection_flow_rate", text(l.connectionFlowRate()));
    m.put("account_flow_rate", text(l.accountFlowRate()));
    m.put("sender_flow_rate", text(l.senderFlowRate()));
    m.put("deny_prefixes", l.denyPrefixes());
    return m;
  }

  private static AccountLimits parse(JsonNode body) {
    String unknown = JsonBodies.unknownField(body, limitFields);
    if (unknown != null) {
      throw InvalidRequest.bad("unknown-field", "Unknown field '" + unknown + "'");
    }
    Integer maxOpen = null;
    JsonNode n = body.get("max_open_connections");
    if (n != null && !n.isNull()) {
      if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
        throw InvalidRequest.bad(
            "invalid-limit", "max_open_connections must be an integer from 1 to 2147483647");
      }
      maxOpen = n.asInt();
    }
    List<String> prefixes = new ArrayList<>();
    JsonNode d = body.get("deny_prefixes");
    if (d != null && !d.isNull()) {
      if (!d.isArray() || d.size() > maxDenyPrefixes) {
        throw InvalidRequest.bad(
            "invalid-prefix", "deny_prefixes must be a list of at most " + maxDenyPrefixes);
      }
      for (JsonNode p : d) {
        prefixes.add(address(p.isString() ? p.asString() : ""));
      }
    }
    Long connectionRate = optionalAmount(body, "connection_flow_rate");
    Long accountRate = optionalAmount(body, "account_flow_rate");
    Long senderRate = optionalAmount(body, "sender_flow_rate");
    if ((connectionRate != null && connectionRate == 0)
        || (accountRate != null && accountRate == 0)
        || (senderRate != null && senderRate == 0)) {
      throw InvalidRequest.bad("invalid-amount", "a flow rate must be positive");
    }
    return new AccountLimits(
        maxOpen,
        optionalAmount(body, "max_connection_amount"),
        connectionRate,
        accountRate,
        senderRate,
        prefixes);
  }

  private static Long optionalAmount(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    return amount(field, n.isString() ? n.asString() : "");
  }

  private static long amount(String field, String value) {
    try {
      return Amounts.parse(value);
    } catch (IllegalArgumentException e) {
      throw InvalidRequest.bad("invalid-amount", field + " " + e.getMessage());
    }
  }

  private static String address(String value) {
    try {
      return IlpAddress.of(value).value();
    } catch (RuntimeException e) {
      throw InvalidRequest.bad("invalid-address", "'" + value + "' is not an ILP address");
    }
  }

  private static String text(Long amount) {
    return amount == null ? null : Long.toUnsignedString(amount);
  }

  /** Runs {@code then} with the named account, or answers 404. */
  private Mono<ServerResponse> withAccount(
      ServerRequest request, Function<Account, Mono<ServerResponse>> then) {
    Optional<String> name = RequestValues.path(request, "name", Account::isValidName);
    if (name.isEmpty()) {
      return unknownAccount();
    }
    return blocking(() -> accounts.findByName(name.get()))
        .flatMap(found -> found.map(then).orElseGet(AdmissionHandler::unknownAccount));
  }

  private static Mono<ServerResponse> unknownAccount() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-account", "No such account");
  }

  private static <T> Mono<T> blocking(Callable<T> call) {
    return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
  }
}
