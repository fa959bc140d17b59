package dev.inlet.web;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Path and query values of a WebFlux request, checked before a handler uses them — in SQL, in a log
 * line or echoed in a problem. Each route's handler asks for a value together with the rule it must
 * meet (the domain's own rule, such as {@code Account::isValidName}); a value that does not meet it
 * comes back empty and the handler answers 4xx with a problem document, so no odd input (NUL,
 * invalid UTF-8, a decoded {@code /} from {@code %2F}, a 10 kB run) goes further than this.
 *
 * <p>Values arrive percent-decoded by Spring: path variables as UTF-8 with invalid sequences turned
 * into U+FFFD, query values likewise. A request-target that is no URI at all (a raw NUL, a bad
 * escape such as {@code %G1}) never reaches a handler: the HTTP layer refuses it ({@link
 * HttpLayerProblems}).
 */
public final class RequestValues {
  /** Digits a whole-number query value may have at most: 999,999,999 fits an {@code int}. */
  private static final int maxWholeNumberDigits = 9;

  private RequestValues() {}

  /** The path variable {@code name} when {@code rule} admits it; empty otherwise. */
  public static Optional<String> path(ServerRequest request, String name, Predicate<String> rule) {
    String value = request.pathVariables().get(name);
    return value != null && rule.test(value) ? Optional.of(value) : Optional.empty();
  }

  /**
   * The query parameter {@code name} as a whole number from {@code min} to {@code max}, or {@code
   * absent} when the request does not give it. Empty when it is given more than once, or is not 1
   * to 9 ASCII digits (no sign, no space, no other script's digits), or lies outside the range.
   */
  public static OptionalInt wholeNumber(
      ServerRequest request, String name, int min, int max, int absent) {
    List<String> values = request.queryParams().get(name);
    if (values == null || values.isEmpty()) {
      return OptionalInt.of(absent);
    }
    if (values.size() != 1) {
      return OptionalInt.empty();
    }
    String value = values.get(0);
    if (value == null || value.isEmpty() || value.length() > maxWholeNumberDigits) {
      return OptionalInt.empty();
    }
    int n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalInt.empty();
      }
      n = n * 10 + (c - '0');
    }
    return n < min || n > max ? OptionalInt.empty() : OptionalInt.of(n);
  }
}
