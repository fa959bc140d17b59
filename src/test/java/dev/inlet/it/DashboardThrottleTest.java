package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong admin tokens on the dashboard's sign-in form: one clear message each, counted against the
 * same per-address budget as wrong bearer tokens on the admin API, then 429. An Inlet of its own (a
 * budget of 2), since the address stays throttled for the rest of the window.
 */
class DashboardThrottleTest {
  @TempDir static Path dir;
  static TestInlet strict;

  @BeforeAll
  static void start() {
    strict = TestInlet.start(dir, Map.of("inlet.admin-auth-max-failures", "2"));
  }

  @AfterAll
  static void stop() {
    strict.close();
  }

  @Test
  void aWrongTokenGetsOneClearMessageAndRepeatedFailuresAreThrottled() {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> wrong = DashboardAccessTest.signInResponse(strict, "not-the-token");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("Wrong admin token.");
      assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    }
    // Past the budget even the right token is not looked at.
    HttpResponse<String> throttled = DashboardAccessTest.signInResponse(strict, strict.admin);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    assertThat(throttled.body()).contains("Too many failed sign-ins");
    assertThat(throttled.headers().firstValue("Set-Cookie")).isEmpty();
    // One budget for the form and the bearer token.
    assertThat(strict.adminGet("/admin/ledger/check").statusCode()).isEqualTo(429);
  }
}
