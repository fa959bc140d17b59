package dev.inlet.voucher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntervalTest {
  @Test
  void monthsFollowTheCalendar() {
    Interval month = Interval.parse("P1M");
    Instant start = Instant.parse("2027-01-31T10:00:00Z");
    assertThat(month.cycleStart(start, 1)).isEqualTo(start);
    assertThat(month.cycleStart(start, 2)).isEqualTo(Instant.parse("2027-02-28T10:00:00Z"));
    assertThat(month.cycleStart(start, 13)).isEqualTo(Instant.parse("2028-01-31T10:00:00Z"));
    assertThat(month.cycleAt(start, Instant.parse("2027-01-31T09:59:59Z"))).isZero();
    assertThat(month.cycleAt(start, start)).isEqualTo(1);
    assertThat(month.cycleAt(start, Instant.parse("2027-02-28T09:59:59Z"))).isEqualTo(1);
    assertThat(month.cycleAt(start, Instant.parse("2027-02-28T10:00:00Z"))).isEqualTo(2);
    assertThat(month.cycleAt(start, Instant.parse("2029-06-01T00:00:00Z"))).isEqualTo(29);
  }

  @Test
  void dateAndTimePartsAddUp() {
    Interval i = Interval.parse("P1DT12H");
    Instant start = Instant.parse("2027-03-01T00:00:00Z");
    assertThat(i.cycleStart(start, 3)).isEqualTo(Instant.parse("2027-03-04T00:00:00Z"));
    assertThat(i.cycleAt(start, Instant.parse("2027-03-03T23:59:59Z"))).isEqualTo(2);
    assertThat(Interval.parse("PT20S").cycleAt(start, start.plusSeconds(41))).isEqualTo(3);
    assertThat(Interval.parse("P2W").cycleStart(start, 2))
        .isEqualTo(Instant.parse("2027-03-15T00:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "P", "PT", "1M", "P1", "PT0S", "PT0.5S", "P-1D", "month", "P1MT"})
  void whatIsNotAnIntervalIsRefused(String text) {
    assertThatThrownBy(() -> Interval.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
