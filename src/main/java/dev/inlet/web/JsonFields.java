package dev.inlet.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the common fields of request bodies, each failure an {@link InvalidRequest} (400) naming a
 * stable problem slug: amounts as decimal strings of unsigned 64-bit integers, RFC 3339 times,
 * bounded strings, and no unknown fields.
 */
public final class JsonFields {
  private JsonFields() {}

  /**
   * An amount from 1 to 2^64-1 given as a decimal string (never a JSON number: it would lose
   * precision in many clients).
   *
   * @throws InvalidRequest {@code invalid-<name>}
   */
  public static long positiveAmount(JsonNode field, String name) {
    try {
      if (field == null || !field.isString()) {
        throw new IllegalArgumentException();
      }
      long amount = Amounts.parse(field.asString());
      if (amount == 0) {
        throw new IllegalArgumentException();
      }
      return amount;
    } catch (IllegalArgumentException e) {
      throw InvalidRequest.bad(
          "invalid-" + name,
          name + " must be a decimal string of an integer from 1 to 18446744073709551615");
    }
  }

  /**
   * An RFC 3339 time, or null when the field is absent or null.
   *
   * @throws InvalidRequest {@code invalid-<name with dashes>}
   */
  public static Instant time(JsonNode field, String name) {
    if (field == null || field.isNull()) {
      return null;
    }
    try {
      if (!field.isString()) {
        throw new DateTimeParseException("not a string", "", 0);
      }
      return OffsetDateTime.parse(field.asString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeParseException e) {
      throw InvalidRequest.bad(
          "invalid-" + name.replace('_', '-'), name + " must be an RFC 3339 time");
    }
  }

  /**
   * A string of at most {@code maxChars} characters, or null when absent or null.
   *
   * @throws InvalidRequest {@code invalid-<name>}
   */
  public static String text(JsonNode field, String name, int maxChars) {
    if (field == null || field.isNull()) {
      return null;
    }
    if (!field.isString() || field.asString().length() > maxChars) {
      throw InvalidRequest.bad(
          "invalid-" + name, name + " must be a string of at most " + maxChars + " characters");
    }
    return field.asString();
  }

  /**
   * @throws InvalidRequest {@code unknown-field} when the body has a member not in {@code fields}
   */
  public static void known(JsonNode body, Set<String> fields) {
    String unknown = JsonBodies.unknownField(body, fields);
    if (unknown != null) {
      throw InvalidRequest.bad(
          "unknown-field", "Unknown field '" + unknown + "'; fields are " + fields);
    }
  }
}
