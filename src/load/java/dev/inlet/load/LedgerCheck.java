package dev.inlet.load;

import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The check at the end of a run: what the benchmark was fulfilled against what Inlet's ledger
 * credited ({@code /admin/ledger/check} and the account's balance). Each mismatch is a failure of
 * the run.
 */
final class LedgerCheck {
  private static final JsonMapper json = JsonMapper.builder().build();

  private LedgerCheck() {}

  /** Every fulfilled amount is credited exactly once, and the double-entry check holds. */
  static void check(InletProcess inlet, Result r) throws IOException, InterruptedException {
    long money = 0;
    long paying = 0;
    for (Stats s : r.phases()) {
      money += s.fulfilledAmount.sum();
      paying += s.fulfilled.sum() - s.churnClosed.sum();
      if (s.badFulfillments.sum() > 0) {
        r.failures.add(
            s.badFulfillments.sum() + " Fulfills whose fulfillment does not meet the condition");
      }
    }
    r.expectedCredit = BigInteger.valueOf(money);
    HttpResponse<String> check = inlet.adminGet("/admin/ledger/check");
    JsonNode figures = json.readTree(check.body());
    if (check.statusCode() != 200 || !figures.path("consistent").asBoolean(false)) {
      r.failures.add("ledger check " + check.statusCode() + ": " + check.body());
    }
    r.ledgerCredited = new BigInteger(figures.path("credited").asString("-1"));
    if (!r.ledgerCredited.equals(r.expectedCredit)) {
      r.failures.add(
          "ledger credited "
              + r.ledgerCredited
              + " but the benchmark was fulfilled "
              + r.expectedCredit);
    }
    long packets = figures.path("packets").asLong(-1);
    if (packets != paying) {
      r.failures.add(
          "ledger has "
              + packets
              + " credited packets for "
              + paying
              + " fulfilled paying Prepares");
    }
    HttpResponse<String> acct = inlet.adminGet("/admin/accounts/" + LoadBenchmark.account);
    r.balance = new BigInteger(json.readTree(acct.body()).path("balance").asString("-1"));
    if (!r.balance.equals(r.expectedCredit)) {
      r.failures.add(
          "balance of "
              + LoadBenchmark.account
              + " is "
              + r.balance
              + ", expected "
              + r.expectedCredit);
    }
    if (r.measured.fulfilled.sum() == 0) {
      r.failures.add("nothing was fulfilled in the measured phase");
    }
  }

  /**
   * The invoice mode: the invoices' {@code received} (every page of {@code GET /v1/invoices}) sums
   * to what was fulfilled, none is complete (their amount is never reached), and the webhook's
   * sampled signatures verified.
   */
  static void checkInvoices(InvoiceRun run, Result r) throws IOException, InterruptedException {
    InvoiceRun.Totals totals = run.totals();
    Result.InvoiceFigures f = r.invoice;
    f.invoicesReceived = totals.received();
    f.invoices = totals.invoices();
    f.states = totals.states();
    if (!totals.received().equals(r.expectedCredit)) {
      r.failures.add(
          "the invoices received "
              + totals.received()
              + " but the benchmark was fulfilled "
              + r.expectedCredit);
    }
    if (totals.invoices() != run.spspPaths.size()
        || !totals.states().keySet().equals(java.util.Set.of("processing"))) {
      r.failures.add(
          totals.invoices()
              + " invoices listed, by state "
              + totals.states()
              + ": expected "
              + run.spspPaths.size()
              + " processing");
    }
    if (run.webhook.badSignature.get() != null) {
      r.failures.add("webhook: " + run.webhook.badSignature.get());
    }
    if (f.verifiedSignatures == 0) {
      r.failures.add("webhook: no delivery's signature was verified");
    }
  }
}
