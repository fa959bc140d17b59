package dev.inlet.it;

import java.util.List;
import java.util.Random;

/**
 * What {@link HttpInputFuzzTest} sends: the positions of path and query values on the web port's
 * routes, the fixed odd values tried at each, and the random values made of {@link #pieces}.
 */
final class OddValues {
  /** The test's account, so that a valid value finds something. */
  private static final String account = HttpInputFuzzTest.account;

  private OddValues() {}

  /** Every position of a path or query value on the admin and SPSP routes; {@code {}} marks it. */
  static final List<String> positions =
      List.of(
          "/admin/accounts/{}",
          "/admin/accounts/{}/connections",
          "/admin/accounts/" + account + "/connections?limit={}",
          "/admin/accounts/" + account + "/connections?limit=10&limit={}",
          "/admin/accounts/" + account + "?x={}",
          "/admin/ledger/check?x={}",
          "/{}",
          "/" + account + "?x={}",
          "/.well-known/pay?x={}",
          "/.well-known/{}");

  /**
   * Values as they go into the request-target, each char one byte: percent-encoded and raw NUL,
   * invalid UTF-8, encoded slashes and dots, spaces, control characters, bad escapes, Unicode,
   * reserved names, and lengths past the name's 64 characters and past the request line's 4 kB.
   */
  static final List<String> fixed =
      List.of(
          "%00",
          "a%00b",
          "\0",
          account + "\0",
          "%C3%28",
          "%FF",
          "%E2%82",
          "%ED%A0%80",
          "\u00C3\u0028",
          "\u00FF",
          "\u00C3\u00A9",
          "a".repeat(10_000),
          "%41".repeat(3_400),
          "b".repeat(65),
          "c".repeat(3_000),
          "%2F",
          "a%2Fb",
          "%2F..%2F",
          "..",
          ".",
          "%2E%2E",
          "%20",
          "a%20b",
          "+",
          "a b",
          "%E2%82%AC",
          "%F0%9F%92%B8",
          "%",
          "%G1",
          "%%",
          "a%",
          "%0D%0A",
          "%0A",
          "%09",
          "\t",
          "a\nb",
          "a\rb",
          ";",
          account + ";x=1",
          account + "%3B",
          "%5C",
          "\\",
          "\"",
          "<x>",
          "{name}",
          "*",
          "?",
          "#",
          "%23",
          "ilp",
          "admin",
          "actuator",
          "",
          "-1",
          "0",
          "1001",
          "99999999999",
          "%D9%A3",
          account,
          "10");

  /** Pieces the random values are made of. */
  static final List<String> pieces =
      List.of(
          "%00",
          "\0",
          "%FF",
          "\u00FF",
          "%C3",
          "%28",
          "%2F",
          "/",
          "..",
          "%2E",
          "%20",
          "%",
          "%G",
          "%0A",
          "\t",
          ";",
          "?",
          "#",
          "&",
          "=",
          "%25",
          "\u00E9",
          "%E2%82%AC",
          "a",
          "Z",
          "9",
          "_",
          "~",
          "-",
          account,
          "limit",
          "ilp");

  /**
   * A random value of up to six {@link #pieces} and raw bytes, or now and then one piece repeated
   * past the request line's 4 kB.
   */
  static String random(Random random) {
    if (random.nextInt(40) == 0) {
      return pieces.get(random.nextInt(pieces.size())).repeat(3_000 + random.nextInt(3_000));
    }
    StringBuilder value = new StringBuilder();
    int n = 1 + random.nextInt(6);
    for (int i = 0; i < n; i++) {
      if (random.nextInt(5) == 0) {
        value.append((char) random.nextInt(256));
      } else {
        value.append(pieces.get(random.nextInt(pieces.size())));
      }
    }
    return value.toString();
  }
}
