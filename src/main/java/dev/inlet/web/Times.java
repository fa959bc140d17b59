package dev.inlet.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times as the merchant API writes them: RFC 3339 in UTC with milliseconds, {@code
 * 2026-12-07T04:46:43.063Z} — the same as the database's {@code inlet_time} (db/V2).
 */
public final class Times {
  private static final DateTimeFormatter format =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  /** {@code t} formatted, or null for null. */
  public static String format(Instant t) {
    return t == null ? null : format.format(t);
  }
}
