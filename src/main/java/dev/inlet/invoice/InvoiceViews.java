package dev.inlet.invoice;

import dev.inlet.web.JsonMembers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.web.reactive.function.server.ServerRequest;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An invoice as the merchant API shows it: {@code inlet_invoice_json} (db/V2) with what depends on
 * the request — {@code payment_pointer} ({@code $<host>/invoices/<id>}) and {@code spsp_url}
 * ({@code <scheme>://<host>/invoices/<id>}), host as the request named it — and its {@code
 * payments}: {@code {"connection_id" (hex), "opened_at", "source_address", "amount" (decimal
 * string), "memo"}}, the memo being the payer's StreamData as UTF-8 (malformed bytes as U+FFFD), or
 * null.
 */
final class InvoiceViews {
  /** The order of an invoice's members; any other member the database adds follows them. */
  private static final List<String> order =
      List.of(
          "id",
          "account",
          "state",
          "amount",
          "received",
          "asset_code",
          "asset_scale",
          "description",
          "reference",
          "metadata",
          "payment_pointer",
          "spsp_url",
          "created_at",
          "expires_at",
          "completed_at",
          "ended_at",
          "payments");

  private final JsonMapper json;

  InvoiceViews(JsonMapper json) {
    this.json = json;
  }

  /** The invoice's JSON. */
  ObjectNode view(
      Invoices.StoredInvoice invoice, List<Invoices.Payment> payments, ServerRequest request) {
    ObjectNode stored = (ObjectNode) json.readTree(invoice.json());
    String id = stored.get("id").asString();
    String host = request.uri().getAuthority();
    stored.put("payment_pointer", "$" + host + "/invoices/" + id);
    stored.put("spsp_url", request.uri().getScheme() + "://" + host + "/invoices/" + id);
    ArrayNode list = stored.putArray("payments");
    for (Invoices.Payment p : payments) {
      ObjectNode v = list.addObject();
      v.put("connection_id", p.connectionId());
      v.put("opened_at", p.openedAt());
      v.put("source_address", p.sourceAddress());
      v.put("amount", p.amount());
      v.put("memo", p.memo() == null ? null : new String(p.memo(), StandardCharsets.UTF_8));
    }
    return JsonMembers.ordered(stored, order, json);
  }
}
