package dev.inlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Which caller ids are echoed and logged: the char loop accepts exactly what the former regex did.
 */
class RequestIdsTest {
  private static final Pattern regex = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Test
  void acceptsShortTokensOfSafeCharacters() {
    assertThat(RequestIds.sane("trace-me-42")).isTrue();
    assertThat(RequestIds.sane("a.B_c-9")).isTrue();
    assertThat(RequestIds.sane("x".repeat(64))).isTrue();
  }

  @Test
  void refusesEmptyLongOrUnsafeOnes() {
    for (String id :
        new String[] {null, "", "x".repeat(65), "bad id", "new\nline", "a/b", "é", "{}", "a:b"}) {
      assertThat(RequestIds.sane(id)).as(String.valueOf(id)).isFalse();
    }
  }

  @Test
  void agreesWithTheRegexOnRandomStrings() {
    Random random = new Random(42);
    String alphabet = "aZ09._-/ :é\u0000";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder id = new StringBuilder();
      for (int n = random.nextInt(70); n > 0; n--) {
        id.append(
            random.nextInt(4) == 0
                ? alphabet.charAt(random.nextInt(alphabet.length()))
                : (char) ('a' + random.nextInt(26)));
      }
      assertThat(RequestIds.sane(id.toString()))
          .as(id.toString())
          .isEqualTo(regex.matcher(id).matches());
    }
  }
}
