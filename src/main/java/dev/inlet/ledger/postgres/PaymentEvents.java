package dev.inlet.ledger.postgres;

import dev.inlet.ledger.batch.BatchChanges.PaymentReceived;
import java.util.List;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * A batch's {@code payment.received} events as the batch statement's last two parameters: a {@code
 * bigint[]} literal of the merchants whose events they are and a {@code text[]} literal of each
 * event's data, in the same order. The data is the JSON object {@code {"account", "invoice",
 * "connection_id", "amount", "total_received", "source_address"}}: the account's name, the paid
 * invoice's public id or null, the connection id in lower-case hex, the batch's credit and the
 * connection's total after it as decimal strings (unsigned 64-bit: no JSON client rounds them
 * through a double), the sender's address or null. Rendered here, the statement only stores it
 * (docs/design.md "Events are an outbox in the same transaction").
 */
final class PaymentEvents {
  private static final char[] hexDigits = "0123456789abcdef".toCharArray();
  private static final JsonStringEncoder encoder = JsonStringEncoder.getInstance();

  private PaymentEvents() {}

  /** {@code {m1,m2,…}}: each event's merchant id. */
  static String merchants(List<PaymentReceived> events) {
    StringBuilder b = new StringBuilder(2 + events.size() * 4).append('{');
    for (PaymentReceived e : events) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(e.merchantId());
    }
    return b.append('}').toString();
  }

  /** {@code {"<json>",…}}: each event's data, quoted as an array element. */
  static String data(List<PaymentReceived> events) {
    StringBuilder b = new StringBuilder(2 + events.size() * 280).append('{');
    StringBuilder json = new StringBuilder(256);
    for (PaymentReceived e : events) {
      if (b.length() > 1) {
        b.append(',');
      }
      json.setLength(0);
      json(e, json);
      b.append('"');
      for (int i = 0; i < json.length(); i++) {
        char c = json.charAt(i);
        if (c == '"' || c == '\\') {
          b.append('\\');
        }
        b.append(c);
      }
      b.append('"');
    }
    return b.append('}').toString();
  }

  /** Appends the event's data as a JSON object (no whitespace). */
  static void json(PaymentReceived e, StringBuilder b) {
    b.append("{\"account\":");
    string(e.account(), b);
    b.append(",\"invoice\":");
    string(e.invoice(), b);
    b.append(",\"connection_id\":\"");
    for (byte v : e.connectionId()) {
      b.append(hexDigits[(v >> 4) & 0xf]).append(hexDigits[v & 0xf]);
    }
    b.append("\",\"amount\":\"")
        .append(Long.toUnsignedString(e.amount()))
        .append("\",\"total_received\":\"")
        .append(Long.toUnsignedString(e.totalReceived()))
        .append("\",\"source_address\":");
    string(e.sourceAddress(), b);
    b.append('}');
  }

  private static void string(String s, StringBuilder b) {
    if (s == null) {
      b.append("null");
      return;
    }
    b.append('"');
    encoder.quoteAsString(s, b);
    b.append('"');
  }
}
