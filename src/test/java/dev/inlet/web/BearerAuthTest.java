package dev.inlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * How an {@code Authorization} header is read (RFC 9110 §11.1, §11.6.2: {@code auth-scheme [ 1*SP
 * token68 ]}), for the admin API and {@code POST /ilp} alike.
 */
class BearerAuthTest {
  private static final String token = "0123456789abcdefghijABCDEFGHIJ+/=";
  private static final Predicate<String> admits = BearerAuth.admitting(token);

  @Test
  void schemeIsCaseInsensitive() {
    assertThat(admits.test("Bearer " + token)).isTrue();
    assertThat(admits.test("bearer " + token)).isTrue();
    assertThat(admits.test("BEARER " + token)).isTrue();
    assertThat(admits.test("bEaReR " + token)).isTrue();
  }

  @Test
  void oneOrMoreSpacesSeparateSchemeAndToken() {
    assertThat(admits.test("Bearer   " + token)).isTrue();
    assertThat(admits.test("Bearer" + token)).isFalse();
    assertThat(admits.test("Bearer\t" + token)).isFalse();
  }

  @Test
  void whitespaceAroundTheFieldValueDoesNotCount() {
    assertThat(admits.test(" Bearer " + token + " ")).isTrue();
    assertThat(admits.test("\tBearer " + token + "\t")).isTrue();
  }

  @Test
  void theTokenMustBeExactlyTheConfiguredOne() {
    assertThat(admits.test("Bearer " + token.toLowerCase())).isFalse();
    assertThat(admits.test("Bearer " + token + "x")).isFalse();
    assertThat(admits.test("Bearer " + token.substring(1))).isFalse();
    assertThat(admits.test("Bearer " + token + " x")).isFalse();
    assertThat(admits.test("Bearer x" + token)).isFalse();
  }

  @Test
  void otherSchemesEmptyTokensAndNoHeaderAreRefused() {
    assertThat(admits.test(null)).isFalse();
    assertThat(admits.test("")).isFalse();
    assertThat(admits.test("Bearer")).isFalse();
    assertThat(admits.test("Bearer ")).isFalse();
    assertThat(admits.test("Bearer    ")).isFalse();
    assertThat(admits.test("Basic " + token)).isFalse();
    assertThat(admits.test("Bearerx " + token)).isFalse();
    assertThat(admits.test(token)).isFalse();
  }
}
