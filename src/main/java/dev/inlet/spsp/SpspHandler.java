package dev.inlet.spsp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.inlet.admission.ConnectionQuota;
import dev.inlet.admission.EarlySpspAnswers;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.TargetKind;
import dev.inlet.ledger.Account;
import dev.inlet.ledger.Accounts;
import dev.inlet.stream.AdmissionReason;
import dev.inlet.web.ClientAddresses;
import dev.inlet.web.Problems;
import dev.inlet.web.RequestValues;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * SPSP (RFC 0009): a payment pointer {@code $host/name} resolves to {@code GET https://host/name},
 * answered with {@code application/spsp4+json}: a fresh ILP address ({@code <inlet
 * address>.<name>.<token>}) and shared secret for every query. Both derive from the server secret
 * and the sealed token, so nothing is stored per query and any replica recognises the connection.
 * {@code Receipt-Nonce} (16 bytes) and {@code Receipt-Secret} (32 bytes), base64, ask for STREAM
 * receipts (RFC 0039) and are sealed into the token too. The answer is built by {@link
 * SpspResponder}, which invoice pointers share.
 *
 * <p>A query is answered here, through WebFlux, or on the connection's event loop ({@link #answer})
 * once the account was found here, with its open connections counted within the second (or in the
 * background meanwhile). An account's name and id never change and accounts are not deleted, so the
 * names found are kept (up to {@link #knownAccounts}).
 */
public final class SpspHandler implements EarlySpspAnswers {
  /** How many account names, found here, are kept for the early answer. */
  static final int knownAccounts = 10_000;

  private final Accounts accounts;
  private final SpspResponder responder;
  private final Optional<String> defaultAccount;
  private final ConnectionQuota quota;
  private final JsonMapper json;
  private final Cache<String, Long> accountIds =
      Caffeine.newBuilder().maximumSize(knownAccounts).executor(Runnable::run).build();

  /**
   * @param ilpAddress this receiver's ILP address
   * @param defaultAccount account served at {@code /.well-known/pay}, if any
   * @param quota open connections: a query past the account's or the service's limit is refused
   *     (429 {@code receiver-quota}, 503 {@code system-limit}) instead of given new credentials
   * @param json writes the early answers' bodies, as WebFlux's encoder writes the others
   */
  public SpspHandler(
      Accounts accounts,
      ConnectionTokens tokens,
      String ilpAddress,
      Optional<String> defaultAccount,
      ConnectionQuota quota,
      JsonMapper json) {
    this.accounts = accounts;
    this.responder = new SpspResponder(tokens, ilpAddress);
    this.defaultAccount = defaultAccount;
    this.quota = quota;
    this.json = json;
  }

  /**
   * {@code GET /{account}}: 404 {@code unknown-account} for a name no account has, and for one no
   * account can have ({@link Account#isValidName}), checked before any SQL.
   */
  public Mono<ServerResponse> account(ServerRequest request) {
    return RequestValues.path(request, "account", Account::isValidName)
        .map(name -> query(request, name))
        .orElseGet(
            () ->
                Problems.respond(
                    HttpStatus.NOT_FOUND,
                    "unknown-account",
                    "No account can have that name: names are " + Account.nameRule));
  }

  /**
   * {@code GET /.well-known/pay}: the payment pointer {@code $host} alone names the default
   * account.
   */
  public Mono<ServerResponse> wellKnown(ServerRequest request) {
    return defaultAccount
        .map(name -> query(request, name))
        .orElseGet(
            () ->
                Problems.respond(
                    HttpStatus.NOT_FOUND,
                    "unknown-account",
                    "This host has no default account (INLET_DEFAULT_ACCOUNT)"));
  }

  /** Answers for account {@code name}, a valid name (the path's, or the configured default). */
  private Mono<ServerResponse> query(ServerRequest request, String name) {
    return responder.query(
        request,
        receipts ->
            Mono.fromCallable(
                    () -> accounts.findByName(name).map(a -> new Found(a, quota.check(a.id()))))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(
                    found ->
                        found
                            .map(
                                f -> {
                                  accountIds.put(f.account().name(), f.account().id());
                                  return f.refused() != null
                                      ? quota.refuse(
                                          f.refused(), ClientAddresses.of(request.exchange()))
                                      : responder.respond(
                                          receipts,
                                          TargetKind.ACCOUNT,
                                          f.account().id(),
                                          f.account().name(),
                                          Map.of());
                                })
                            .orElseGet(() -> unknown(name))));
  }

  /**
   * The early answer ({@link EarlySpspAnswers}): for {@code /{account}} and {@code
   * /.well-known/pay} when the account was found here before and {@link
   * ConnectionQuota#admitsByCount} admits it, with well-formed receipt headers or none; the same
   * body as {@link #account}'s. Null, or completed with null, in every other case.
   */
  @Override
  public CompletableFuture<Answer> answer(PathContainer path, Function<String, String> header) {
    String name = accountName(path);
    Long id = name == null ? null : accountIds.getIfPresent(name);
    if (id == null) {
      return null;
    }
    SpspResponder.ReceiptRequest receipts;
    try {
      receipts = SpspResponder.receipts(header);
    } catch (IllegalArgumentException e) {
      return null; // WebFlux answers the problem.
    }
    return quota
        .admitsByCount(id)
        .thenApply(
            admits ->
                admits
                    ? new Answer(
                        SpspResponder.spspMediaType,
                        json.writeValueAsBytes(
                            responder.body(receipts, TargetKind.ACCOUNT, id, name, Map.of())))
                    : null);
  }

  /** The account a path names, as the routes {@code /{account}} and {@code /.well-known/pay}. */
  private String accountName(PathContainer path) {
    if (path.value().equals("/.well-known/pay")) {
      return defaultAccount.orElse(null);
    }
    List<PathContainer.Element> elements = path.elements();
    return elements.size() == 2 && elements.get(1) instanceof PathContainer.PathSegment segment
        ? segment.valueToMatch()
        : null;
  }

  /** An account found, and why it may not have another connection (null: it may). */
  private record Found(Account account, AdmissionReason refused) {}

  private static Mono<ServerResponse> unknown(String name) {
    return Problems.respond(
        HttpStatus.NOT_FOUND, "unknown-account", "No account named '" + name + "'");
  }
}
