package dev.inlet.invoice;

import dev.inlet.admission.ConnectionQuota;
import dev.inlet.admission.InvoiceAccountIds;
import dev.inlet.crypto.TargetKind;
import dev.inlet.spsp.SpspResponder;
import dev.inlet.stream.AdmissionReason;
import dev.inlet.web.ClientAddresses;
import dev.inlet.web.Problems;
import dev.inlet.web.PublicIds;
import dev.inlet.web.RequestValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An invoice's payment pointer, {@code $host/invoices/<id>}: {@code GET /invoices/{id}} answers
 * SPSP as an account's pointer does ({@link SpspResponder}: fresh credentials, receipts, no-store),
 * with a token naming the invoice, and adds {@code "balance": {"current": "<received>", "maximum":
 * "<amount>"}} and {@code "asset_info": {"code", "scale"}}. A completed, expired or cancelled
 * invoice answers 410 {@code invoice-<state>}; an unknown one 404 {@code unknown-invoice}. No
 * authentication: the id is the capability, as an account's name is.
 */
public final class InvoiceSpspHandler {
  private final Invoices invoices;
  private final SpspResponder responder;
  private final ConnectionQuota quota;
  private final InvoiceAccountIds invoiceAccounts;

  /**
   * Answers with {@code responder}, which account pointers use too.
   *
   * @param quota open connections of the invoice's account and of the service, checked as an
   *     account's pointer checks them (429 {@code receiver-quota}, 503 {@code system-limit})
   * @param invoiceAccounts told each invoice's account, so that its connections take the account's
   *     limits from their first packet
   */
  public InvoiceSpspHandler(
      Invoices invoices,
      SpspResponder responder,
      ConnectionQuota quota,
      InvoiceAccountIds invoiceAccounts) {
    this.invoices = invoices;
    this.responder = responder;
    this.quota = quota;
    this.invoiceAccounts = invoiceAccounts;
  }

  /** {@code GET /invoices/{id}}. */
  public Mono<ServerResponse> pointer(ServerRequest request) {
    Optional<String> id = RequestValues.path(request, "id", PublicIds.invoices::isValid);
    if (id.isEmpty()) {
      return unknown();
    }
    return responder.query(
        request,
        receipts ->
            Mono.fromCallable(() -> invoices.pointer(id.get()).map(this::withQuota))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(
                    found -> {
                      if (found.isEmpty()) {
                        return unknown();
                      }
                      Invoices.PointerTarget invoice = found.get().invoice();
                      if (!invoice.open()) {
                        return Problems.respond(
                            HttpStatus.GONE,
                            "invoice-" + invoice.state(),
                            "The invoice is " + invoice.state() + " and takes no more payments");
                      }
                      if (found.get().refused() != null) {
                        return quota.refuse(
                            found.get().refused(), ClientAddresses.of(request.exchange()));
                      }
                      Map<String, Object> extra = new LinkedHashMap<>();
                      extra.put(
                          "balance",
                          pair(
                              "current", Long.toUnsignedString(invoice.received()),
                              "maximum", Long.toUnsignedString(invoice.amount())));
                      extra.put(
                          "asset_info",
                          pair("code", invoice.assetCode(), "scale", invoice.assetScale()));
                      return responder.respond(
                          receipts, TargetKind.INVOICE, invoice.id(), invoice.account(), extra);
                    }));
  }

  /** An open invoice with why its account may not have another connection (null: it may). */
  private record Found(Invoices.PointerTarget invoice, AdmissionReason refused) {}

  private Found withQuota(Invoices.PointerTarget invoice) {
    invoiceAccounts.known(invoice.id(), invoice.accountId());
    return new Found(invoice, invoice.open() ? quota.check(invoice.accountId()) : null);
  }

  private static Map<String, Object> pair(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static Mono<ServerResponse> unknown() {
    return Problems.respond(HttpStatus.NOT_FOUND, "unknown-invoice", "No such invoice");
  }
}
