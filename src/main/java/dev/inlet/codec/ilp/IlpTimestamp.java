package dev.inlet.codec.ilp;

import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.oer.OerWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;

/**
 * The fixed-length ILP timestamp (RFC 0030 "Fixed-length Timestamps"): 17 ASCII digits {@code
 * YYYYMMDDHHmmssSSS} in UTC. Decoding is strict: every field must be in range, midnight is {@code
 * 000000} of the next day (never hour 24) and leap seconds (second 60) are invalid because they
 * must be smeared.
 */
final class IlpTimestamp {
  /** Encoded length in bytes. */
  static final int lengthBytes = 17;

  private static final Instant earliest = LocalDateTime.of(0, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
  private static final Instant latest =
      LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000).toInstant(ZoneOffset.UTC);

  private IlpTimestamp() {}

  /**
   * @return {@code t} if its year is 0000..9999, the range four digits can carry
   * @throws IllegalArgumentException otherwise
   */
  static Instant requireEncodable(Instant t) {
    if (t.isBefore(earliest) || t.isAfter(latest)) {
      throw new IllegalArgumentException("expiresAt outside years 0000..9999: " + t);
    }
    return t;
  }

  /**
   * Parses the 17 bytes at {@code b[off..off+17)}; the caller has checked they exist.
   *
   * @throws DecodeException if a byte is not a digit or a field is out of range
   */
  static Instant parse(byte[] b, int off) throws DecodeException {
    for (int i = 0; i < lengthBytes; i++) {
      int c = b[off + i];
      if (c < '0' || c > '9') {
        throw new DecodeException("expiresAt has a non-digit character", off + i);
      }
    }
    int year = digits(b, off, 4);
    int month = digits(b, off + 4, 2);
    int day = digits(b, off + 6, 2);
    int hour = digits(b, off + 8, 2);
    int minute = digits(b, off + 10, 2);
    int second = digits(b, off + 12, 2);
    int millis = digits(b, off + 14, 3);
    if (month < 1 || month > 12) {
      throw new DecodeException("expiresAt month " + month + " out of range", off + 4);
    }
    if (day < 1 || day > Month.of(month).length(Year.isLeap(year))) {
      throw new DecodeException("expiresAt day " + day + " out of range", off + 6);
    }
    if (hour > 23) {
      throw new DecodeException("expiresAt hour " + hour + " out of range", off + 8);
    }
    if (minute > 59) {
      throw new DecodeException("expiresAt minute " + minute + " out of range", off + 10);
    }
    if (second > 59) {
      throw new DecodeException("expiresAt second " + second + " out of range", off + 12);
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * 86_400 + hour * 3600 + minute * 60 + second;
    return Instant.ofEpochMilli(seconds * 1000 + millis);
  }

  /** Writes {@code t} (whole milliseconds, years 0000..9999) as 17 ASCII digits. */
  static void write(Instant t, OerWriter w) {
    LocalDateTime u = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
    writeDigits(w, u.getYear(), 4);
    writeDigits(w, u.getMonthValue(), 2);
    writeDigits(w, u.getDayOfMonth(), 2);
    writeDigits(w, u.getHour(), 2);
    writeDigits(w, u.getMinute(), 2);
    writeDigits(w, u.getSecond(), 2);
    writeDigits(w, u.getNano() / 1_000_000, 3);
  }

  private static int digits(byte[] b, int off, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      v = v * 10 + (b[off + i] - '0');
    }
    return v;
  }

  private static void writeDigits(OerWriter w, int value, int n) {
    int divisor = n == 4 ? 1000 : n == 3 ? 100 : 10;
    for (; divisor > 0; divisor /= 10) {
      w.writeUint8('0' + (value / divisor) % 10);
    }
  }
}
