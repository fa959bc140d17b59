package dev.inlet.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A retried sequence is known as counted within the window, and nothing else is. */
class AdmittedSequencesTest {

  @Test
  void countedSequencesAreKnownWithinTheWindowOnly() {
    AdmittedSequences s = new AdmittedSequences();
    assertThat(s.counted(1)).isFalse();
    assertThat(s.counted(0)).isFalse();
    s.count(1);
    s.count(2);
    s.count(5);
    assertThat(s.counted(1)).isTrue();
    assertThat(s.counted(2)).isTrue();
    assertThat(s.counted(3)).isFalse();
    assertThat(s.counted(4)).isFalse();
    assertThat(s.counted(5)).isTrue();
    assertThat(s.counted(6)).isFalse();
    s.count(4);
    assertThat(s.counted(4)).isTrue();
    s.count(5 + AdmittedSequences.window);
    assertThat(s.counted(5)).isFalse(); // out of the window: counted anew
    assertThat(s.counted(5 + AdmittedSequences.window)).isTrue();
    s.count(1000);
    assertThat(s.counted(999)).isFalse();
    assertThat(s.counted(5 + AdmittedSequences.window)).isFalse();
  }
}
