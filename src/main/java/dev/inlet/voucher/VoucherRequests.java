package dev.inlet.voucher;

import dev.inlet.ledger.Account;
import dev.inlet.web.InvalidRequest;
import dev.inlet.web.JsonFields;
import java.time.Instant;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Checks voucher and mandate requests before anything is written: 400 for what is malformed, 422
 * for what is well formed but not acceptable (an unknown account, a time out of range).
 */
final class VoucherRequests {
  /** Largest request body, bytes. */
  static final int maxBodyBytes = 8_192;

  /** Longest note, characters. */
  static final int maxNoteChars = 1_000;

  /** Most cycles of a mandate. */
  static final int maxCycles = 100_000;

  private static final Set<String> voucherFields =
      Set.of("account", "amount", "expires_at", "note");
  private static final Set<String> mandateFields =
      Set.of("account", "amount", "interval", "cycles", "cap", "start", "expires_at", "note");

  private VoucherRequests() {}

  /** A voucher's body. */
  record VoucherBody(String account, long amount, Instant expiresAt, String note) {}

  /** A mandate's body; {@code cycles} and {@code expiresAt} null when not limited. */
  record MandateBody(
      String account,
      long amount,
      Interval interval,
      Integer cycles,
      boolean cap,
      Instant start,
      Instant expiresAt,
      String note) {}

  static VoucherBody voucher(JsonNode body, VoucherSettings settings, Instant now) {
    JsonFields.known(body, voucherFields);
    String account = account(body);
    long amount = JsonFields.positiveAmount(body.get("amount"), "amount");
    Instant expiresAt = JsonFields.time(body.get("expires_at"), "expires_at");
    if (expiresAt == null) {
      expiresAt = now.plus(settings.defaultExpiry());
    } else if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(settings.maxExpiry()))) {
      throw new InvalidRequest(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "invalid-expires-at",
          "expires_at must be in the future and at most " + settings.maxExpiry() + " ahead");
    }
    return new VoucherBody(
        account, amount, expiresAt, JsonFields.text(body.get("note"), "note", maxNoteChars));
  }

  static MandateBody mandate(JsonNode body, Instant now) {
    JsonFields.known(body, mandateFields);
    String account = account(body);
    long amount = JsonFields.positiveAmount(body.get("amount"), "amount");
    JsonNode intervalField = body.get("interval");
    Interval interval;
    try {
      interval =
          Interval.parse(
              intervalField != null && intervalField.isString() ? intervalField.asString() : null);
    } catch (IllegalArgumentException e) {
      throw InvalidRequest.bad(
          "invalid-interval",
          "interval must be an ISO 8601 duration of at least a second, e.g. P1M, P7D or PT1H");
    }
    Integer cycles = null;
    JsonNode cyclesField = body.get("cycles");
    if (cyclesField != null && !cyclesField.isNull()) {
      if (!cyclesField.isIntegralNumber()
          || !cyclesField.canConvertToInt()
          || cyclesField.asInt() < 1
          || cyclesField.asInt() > maxCycles) {
        throw InvalidRequest.bad(
            "invalid-cycles", "cycles must be a whole number from 1 to " + maxCycles);
      }
      cycles = cyclesField.asInt();
    }
    JsonNode capField = body.get("cap");
    if (capField != null && !capField.isNull() && !capField.isBoolean()) {
      throw InvalidRequest.bad(
          "invalid-cap",
          "cap must be true (unused amounts do not roll over, the default) or false (they do)");
    }
    boolean cap = capField == null || capField.isNull() || capField.asBoolean();
    Instant start = JsonFields.time(body.get("start"), "start");
    if (start == null || start.isBefore(now)) {
      start = now;
    }
    Instant expiresAt = JsonFields.time(body.get("expires_at"), "expires_at");
    if (expiresAt != null && !expiresAt.isAfter(start)) {
      throw new InvalidRequest(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "invalid-expires-at",
          "expires_at must be after the start");
    }
    return new MandateBody(
        account,
        amount,
        interval,
        cycles,
        cap,
        start,
        expiresAt,
        JsonFields.text(body.get("note"), "note", maxNoteChars));
  }

  private static String account(JsonNode body) {
    JsonNode account = body.get("account");
    if (account == null || !account.isString() || !Account.isValidName(account.asString())) {
      throw new InvalidRequest(
          HttpStatus.UNPROCESSABLE_CONTENT, "unknown-account", "account must name an account");
    }
    return account.asString();
  }
}
