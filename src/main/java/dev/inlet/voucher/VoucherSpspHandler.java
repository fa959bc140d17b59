package dev.inlet.voucher;

import dev.inlet.crypto.TargetKind;
import dev.inlet.spsp.SpspResponder;
import dev.inlet.web.Blocking;
import dev.inlet.web.Problems;
import dev.inlet.web.PublicIds;
import dev.inlet.web.RequestValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The payment pointers that pay out: {@code GET /vouchers/{code}} and {@code GET /mandates/{code}}
 * answer SPSP (RFC 0009: fresh credentials per query, no-store, CORS) with a token naming the
 * voucher or mandate, and add what each pays: RFC 0036's {@code pull} object ({@code balance:
 * {total, interval, available}}, {@code cycle}, {@code agreement}), the Duplex PSK proposal's
 * {@code balance} ({@code {"current": "0", "minimum": "-<available>"}}: a negative minimum, money
 * to take) and {@code asset_info}. A voucher or mandate that ended answers 410 naming its state; a
 * code that names nothing 404, the same for a code that never existed and one of the wrong form.
 */
public final class VoucherSpspHandler {
  private final Vouchers vouchers;
  private final Mandates mandates;
  private final SpspResponder responder;

  /** Answers with {@code responder}, which account pointers use too. */
  public VoucherSpspHandler(Vouchers vouchers, Mandates mandates, SpspResponder responder) {
    this.vouchers = vouchers;
    this.mandates = mandates;
    this.responder = responder;
  }

  /** {@code GET /vouchers/{code}}. */
  public Mono<ServerResponse> voucher(ServerRequest request) {
    return answer(
        request,
        code -> vouchers.byCode(code).map(Vouchers.PointerTarget::offer),
        TargetKind.VOUCHER);
  }

  /** {@code GET /mandates/{code}}. */
  public Mono<ServerResponse> mandate(ServerRequest request) {
    return answer(request, mandates::offer, TargetKind.MANDATE);
  }

  /** What a paying pointer offers now: whose, in which state, and its {@code pull} object. */
  record Offer(
      long id,
      String state,
      long available,
      String account,
      String assetCode,
      int assetScale,
      Map<String, Object> pull) {}

  @FunctionalInterface
  interface Lookup {
    Optional<Offer> find(String code) throws Exception;
  }

  private Mono<ServerResponse> answer(ServerRequest request, Lookup lookup, TargetKind kind) {
    Optional<String> code = RequestValues.path(request, "code", PublicIds.codes::isValid);
    if (code.isEmpty()) {
      return unknown();
    }
    return responder.query(
        request,
        receipts ->
            Blocking.blocking((Callable<Optional<Offer>>) () -> lookup.find(code.get()))
                .flatMap(
                    found -> {
                      if (found.isEmpty()) {
                        return unknown();
                      }
                      Offer o = found.get();
                      String what = kind == TargetKind.VOUCHER ? "voucher" : "mandate";
                      if (!o.state().equals("active")) {
                        return Problems.respond(
                            HttpStatus.GONE,
                            what + "-" + o.state(),
                            "The " + what + " is " + o.state() + " and pays out nothing more");
                      }
                      Map<String, Object> extra = new LinkedHashMap<>();
                      extra.put("pull", o.pull());
                      Map<String, Object> balance = new LinkedHashMap<>();
                      balance.put("current", "0");
                      balance.put(
                          "minimum",
                          o.available() == 0 ? "0" : "-" + Long.toUnsignedString(o.available()));
                      extra.put("balance", balance);
                      extra.put(
                          "asset_info", Map.of("code", o.assetCode(), "scale", o.assetScale()));
                      return responder.respond(receipts, kind, o.id(), o.account(), extra);
                    }));
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-receiver", "No such payment pointer");
  }
}
