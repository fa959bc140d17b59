package dev.inlet.payout;

import dev.inlet.ledger.Account;
import dev.inlet.web.Amounts;
import dev.inlet.web.InvalidRequest;
import dev.inlet.web.JsonFields;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Checks payout and refund requests before anything is written. A value that fails is an {@link
 * InvalidRequest} naming a stable problem slug: 400 for what is malformed, 422 for what is well
 * formed but not acceptable.
 */
final class PayoutRequests {
  /** Largest request body, bytes. */
  static final int maxBodyBytes = 8_192;

  /** Longest receiver (payment pointer or SPSP URL), characters. */
  static final int maxReceiverChars = 2_048;

  private static final Set<String> payoutFields = Set.of("account", "receiver", "amount");
  private static final Set<String> refundFields = Set.of("amount", "payment");
  private static final Set<String> resolveFields = Set.of("outcome", "delivered");
  private static final Pattern hexPayment = Pattern.compile("[0-9a-f]{24}");

  private PayoutRequests() {}

  /** A payout's body: {@code account}, {@code receiver}, {@code amount}. */
  record PayoutBody(String account, String receiver, long amount) {}

  /** A refund's body: {@code amount}, and {@code payment} (a connection id, hex) or null. */
  record RefundBody(long amount, String payment) {}

  /** An operator's resolution of an in-doubt packet. */
  record Resolution(boolean fulfilled, long delivered) {}

  static PayoutBody payout(JsonNode body) {
    unknown(body, payoutFields);
    JsonNode account = body.get("account");
    if (account == null || !account.isString() || !Account.isValidName(account.asString())) {
      throw new InvalidRequest(
          HttpStatus.UNPROCESSABLE_CONTENT, "unknown-account", "account must name an account");
    }
    JsonNode receiver = body.get("receiver");
    if (receiver == null
        || !receiver.isString()
        || receiver.asString().length() > maxReceiverChars
        || !(receiver.asString().startsWith("$")
            || receiver.asString().startsWith("https://")
            || receiver.asString().startsWith("http://"))) {
      throw bad(
          "invalid-receiver",
          "receiver must be a payment pointer ($host/path) or an SPSP URL (https://…), at most "
              + maxReceiverChars
              + " characters");
    }
    return new PayoutBody(account.asString(), receiver.asString(), amount(body.get("amount")));
  }

  static RefundBody refund(JsonNode body) {
    unknown(body, refundFields);
    JsonNode payment = body.get("payment");
    if (payment != null
        && !payment.isNull()
        && !(payment.isString() && hexPayment.matcher(payment.asString()).matches())) {
      throw bad("invalid-payment", "payment must be a payment's connection id (24 hex digits)");
    }
    return new RefundBody(
        amount(body.get("amount")),
        payment == null || payment.isNull() ? null : payment.asString());
  }

  static Resolution resolution(JsonNode body) {
    unknown(body, resolveFields);
    JsonNode outcome = body.get("outcome");
    if (outcome == null
        || !outcome.isString()
        || !Set.of("fulfilled", "rejected").contains(outcome.asString())) {
      throw bad("invalid-outcome", "outcome must be \"fulfilled\" or \"rejected\"");
    }
    if (outcome.asString().equals("rejected")) {
      if (body.has("delivered")) {
        throw bad("invalid-delivered", "a rejected packet delivered nothing");
      }
      return new Resolution(false, 0);
    }
    JsonNode delivered = body.get("delivered");
    try {
      if (delivered == null || !delivered.isString()) {
        throw new IllegalArgumentException();
      }
      return new Resolution(true, Amounts.parse(delivered.asString()));
    } catch (IllegalArgumentException e) {
      throw bad(
          "invalid-delivered",
          "delivered must be what the receiver got, a decimal string from 0 to 18446744073709551615");
    }
  }

  private static long amount(JsonNode field) {
    return JsonFields.positiveAmount(field, "amount");
  }

  private static void unknown(JsonNode body, Set<String> fields) {
    JsonFields.known(body, fields);
  }

  static InvalidRequest bad(String slug, String detail) {
    return InvalidRequest.bad(slug, detail);
  }
}
