package dev.inlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ledger.Account;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.web.reactive.function.server.ServerRequest;

/** What a handler gets from {@link RequestValues}: the value when its rule admits it, else none. */
class RequestValuesTest {

  @Test
  void aPathValueIsTakenOnlyWhenItsRuleAdmitsIt() {
    assertThat(RequestValues.path(withName("alice"), "name", Account::isValidName))
        .hasValue("alice");
    for (String odd :
        new String[] {
          "\0", "a\0b", "a/b", "..", "a b", "\uFFFD(", "é", "x".repeat(65), "ilp", ""
        }) {
      assertThat(RequestValues.path(withName(odd), "name", Account::isValidName))
          .as("%s", odd)
          .isEmpty();
    }
    assertThat(RequestValues.path(withName("alice"), "other", Account::isValidName)).isEmpty();
  }

  @Test
  void aWholeNumberIsAsciiDigitsInRangeGivenOnce() {
    assertThat(RequestValues.wholeNumber(query(""), "limit", 1, 1000, 100)).hasValue(100);
    assertThat(RequestValues.wholeNumber(query("limit=1000"), "limit", 1, 1000, 100))
        .hasValue(1000);
    assertThat(RequestValues.wholeNumber(query("limit=0007"), "limit", 1, 1000, 100)).hasValue(7);
    for (String odd :
        new String[] {
          "limit",
          "limit=",
          "limit=0",
          "limit=1001",
          "limit=+5",
          "limit=-1",
          "limit=1.0",
          "limit=%00",
          "limit=%D9%A3",
          "limit=%201",
          "limit=9999999999",
          "limit=1&limit=2"
        }) {
      assertThat(RequestValues.wholeNumber(query(odd), "limit", 1, 1000, 100))
          .as("%s", odd)
          .isEmpty();
    }
  }

  private static ServerRequest withName(String name) {
    return MockServerRequest.builder().pathVariable("name", name).build();
  }

  /** A request with {@code query}'s parameters, decoded (a name alone has the empty value). */
  private static ServerRequest query(String query) {
    MockServerRequest.Builder b = MockServerRequest.builder().uri(URI.create("/x?" + query));
    for (String pair : query.split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        b.queryParam(
            eq < 0 ? pair : pair.substring(0, eq),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return b.build();
  }
}
