package dev.inlet.voucher;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mandate's interval: an ISO 8601 duration ({@code P1M}, {@code P7D}, {@code P1Y2M}, {@code
 * PT1H}, {@code P1DT12H}), its date part counted in the UTC calendar (a month after 31 January is
 * the last day of February) and its time part in exact seconds. Intervals shorter than a second are
 * refused.
 */
record Interval(String text, Period period, Duration time) {
  private static final Pattern iso =
      Pattern.compile("P(?!$)((?:\\d+Y)?(?:\\d+M)?(?:\\d+W)?(?:\\d+D)?)(?:T(?=\\d)(.+))?");

  /**
   * @throws IllegalArgumentException when {@code text} is not an ISO 8601 duration of at least a
   *     second
   */
  static Interval parse(String text) {
    Matcher m = iso.matcher(text == null ? "" : text);
    if (text == null || text.length() > 40 || !m.matches()) {
      throw new IllegalArgumentException("not an ISO 8601 duration: " + text);
    }
    try {
      Period period = m.group(1).isEmpty() ? Period.ZERO : Period.parse("P" + m.group(1));
      Duration time = m.group(2) == null ? Duration.ZERO : Duration.parse("PT" + m.group(2));
      if (period.isNegative() || time.isNegative()) {
        throw new IllegalArgumentException("negative duration: " + text);
      }
      if (period.isZero() && time.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("an interval must be at least a second: " + text);
      }
      return new Interval(text, period, time);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("not an ISO 8601 duration: " + text, e);
    }
  }

  /** The start of cycle {@code n} (1 for the first) of an agreement starting at {@code start}. */
  Instant cycleStart(Instant start, long n) {
    long k = n - 1;
    return start
        .atZone(ZoneOffset.UTC)
        .plus(period.multipliedBy(Math.toIntExact(k)))
        .toInstant()
        .plus(time.multipliedBy(k));
  }

  /**
   * The cycle {@code at} falls in (1 for the first), or 0 before {@code start}. Walks from an
   * estimate: calendar months are not all equally long.
   */
  long cycleAt(Instant start, Instant at) {
    if (at.isBefore(start)) {
      return 0;
    }
    long approx = Math.max(1, approximateSeconds());
    long n = 1 + Duration.between(start, at).toSeconds() / approx;
    while (n > 1 && cycleStart(start, n).isAfter(at)) {
      n--;
    }
    while (!cycleStart(start, n + 1).isAfter(at)) {
      n++;
    }
    return n;
  }

  private long approximateSeconds() {
    return period.toTotalMonths() * 28L * 86_400 + period.getDays() * 86_400L + time.toSeconds();
  }
}
