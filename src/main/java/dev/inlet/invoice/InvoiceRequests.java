package dev.inlet.invoice;

import dev.inlet.ledger.Account;
import dev.inlet.web.Amounts;
import dev.inlet.web.Idempotency;
import dev.inlet.web.InvalidRequest;
import dev.inlet.web.JsonBodies;
import dev.inlet.web.PublicIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks what the merchant API is given about invoices, before anything is written: the create
 * body, the {@code Idempotency-Key}, listing filters and cursors. A value that fails is an {@link
 * InvalidRequest} naming a stable problem slug: 400 for what is malformed, 422 for what is well
 * formed but not acceptable.
 */
final class InvoiceRequests {
  /** Largest serialized {@code metadata}, bytes (UTF-8). */
  static final int maxMetadataBytes = 4_096;

  /** Longest {@code description} or {@code reference}, characters. */
  static final int maxTextChars = 1_000;

  /** Largest create body, bytes: room for the longest fields with escapes. */
  static final int maxBodyBytes = 16_384;

  /** Invoice states, as {@code state} filters. */
  static final Set<String> states =
      Set.of("pending", "processing", "completed", "expired", "cancelled");

  private static final Set<String> fields =
      Set.of("account", "amount", "description", "reference", "expires_at", "metadata");
  private static final Base64.Encoder cursorEncoder = Base64.getUrlEncoder().withoutPadding();

  private InvoiceRequests() {}

  /**
   * The create body checked against {@code settings} at {@code now}.
   *
   * @throws InvalidRequest naming the first field that fails
   */
  static NewInvoice newInvoice(
      JsonNode body, JsonMapper json, InvoiceSettings settings, Instant now) {
    String unknown = JsonBodies.unknownField(body, fields);
    if (unknown != null) {
      throw bad("unknown-field", "Unknown field '" + unknown + "'; fields are " + fields);
    }
    JsonNode account = body.get("account");
    if (account == null || !account.isString()) {
      throw bad("invalid-account", "account must be the name of one of your accounts");
    }
    if (!Account.isValidName(account.asString())) {
      throw unknownAccount();
    }
    JsonNode amountField = body.get("amount");
    long amount;
    try {
      if (amountField == null || !amountField.isString()) {
        throw new IllegalArgumentException("must be a decimal string");
      }
      amount = Amounts.parse(amountField.asString());
    } catch (IllegalArgumentException e) {
      throw bad(
          "invalid-amount",
          "amount must be a decimal string of an integer from 1 to 18446744073709551615");
    }
    if (amount == 0) {
      throw bad("invalid-amount", "amount must be at least 1");
    }
    return new NewInvoice(
        account.asString(),
        amount,
        text(body, "description"),
        text(body, "reference"),
        expiresAt(body.get("expires_at"), settings, now),
        metadata(body.get("metadata"), json));
  }

  /** 422 {@code unknown-account}: no account of the merchant's has that name. */
  static InvalidRequest unknownAccount() {
    return new InvalidRequest(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "unknown-account",
        "account must name one of your accounts");
  }

  private static String text(JsonNode body, String name) {
    JsonNode field = body.get(name);
    if (field == null || field.isNull()) {
      return null;
    }
    if (!field.isString() || field.asString().length() > maxTextChars) {
      throw bad(
          "invalid-" + name, name + " must be a string of at most " + maxTextChars + " characters");
    }
    return field.asString();
  }

  private static Instant expiresAt(JsonNode field, InvoiceSettings settings, Instant now) {
    if (field == null || field.isNull()) {
      return now.plus(settings.defaultExpiry());
    }
    Instant at;
    try {
      if (!field.isString()) {
        throw new DateTimeParseException("not a string", "", 0);
      }
      at = time(field.asString());
    } catch (DateTimeParseException e) {
      throw bad("invalid-expires-at", "expires_at must be an RFC 3339 time");
    }
    if (!at.isAfter(now) || at.isAfter(now.plus(settings.maxExpiry()))) {
      throw new InvalidRequest(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "invalid-expires-at",
          "expires_at must be in the future and at most " + settings.maxExpiry() + " ahead");
    }
    return at;
  }

  private static String metadata(JsonNode field, JsonMapper json) {
    if (field == null || field.isNull()) {
      return "{}";
    }
    if (!field.isObject()) {
      throw bad("invalid-metadata", "metadata must be a JSON object");
    }
    String text = json.writeValueAsString(field);
    if (text.getBytes(StandardCharsets.UTF_8).length > maxMetadataBytes) {
      throw new InvalidRequest(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "metadata-too-large",
          "metadata must serialize to at most " + maxMetadataBytes + " bytes");
    }
    return text;
  }

  /**
   * The {@code Idempotency-Key} header: null when absent.
   *
   * @throws InvalidRequest 400 {@code invalid-idempotency-key} unless given once, 1..255 visible
   *     ASCII characters
   */
  static String idempotencyKey(List<String> values) {
    try {
      return Idempotency.key(values).orElse(null);
    } catch (IllegalArgumentException e) {
      throw bad("invalid-idempotency-key", e.getMessage());
    }
  }

  /** An RFC 3339 time (with an offset). */
  static Instant time(String text) {
    return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }

  /** The opaque cursor continuing after invoice {@code publicId}. */
  static String cursor(String publicId) {
    return cursorEncoder.encodeToString(publicId.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The public id a cursor continues after.
   *
   * @throws InvalidRequest 400 {@code invalid-cursor} for anything {@link #cursor} did not make
   */
  static String afterCursor(String cursor) {
    try {
      String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (PublicIds.invoices.isValid(id) && cursor(id).equals(cursor)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // not base64url: refused below
    }
    throw invalidCursor();
  }

  /** 400 {@code invalid-cursor}. */
  static InvalidRequest invalidCursor() {
    return bad("invalid-cursor", "cursor must be a next_cursor this API returned");
  }

  static InvalidRequest bad(String slug, String detail) {
    return InvalidRequest.bad(slug, detail);
  }
}
