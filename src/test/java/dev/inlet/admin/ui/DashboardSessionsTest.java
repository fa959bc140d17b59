package dev.inlet.admin.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {
  static final byte[] serverSecret =
      "a server secret of at least 32 bytes!".getBytes(StandardCharsets.UTF_8);
  static final String adminToken = "test-admin-token-at-least-32-characters";

  /** A clock the test moves. */
  static final class Hands extends Clock {
    Instant now = Instant.parse("2026-12-07T04:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final Hands clock = new Hands();
  final DashboardSessions sessions =
      new DashboardSessions(serverSecret, adminToken, Duration.ofHours(8), clock);

  @Test
  void aSessionIsValidUntilItsLifetimeEnds() {
    String cookie = sessions.create();
    assertThat(sessions.verify(cookie)).isPresent();
    clock.now = clock.now.plus(Duration.ofHours(8)).minusSeconds(1);
    assertThat(sessions.verify(cookie)).isPresent();
    clock.now = clock.now.plusSeconds(1);
    assertThat(sessions.verify(cookie)).isEmpty();
  }

  @Test
  void aChangedExpiryOrSignatureIsRefused() {
    String cookie = sessions.create();
    int dot = cookie.indexOf('.');
    byte[] body = Base64.getUrlDecoder().decode(cookie.substring(0, dot));
    body[7]++; // a later expiry
    String longer =
        Base64.getUrlEncoder().withoutPadding().encodeToString(body) + cookie.substring(dot);
    assertThat(sessions.verify(longer)).isEmpty();
    assertThat(sessions.verify(cookie.substring(0, cookie.length() - 2) + "AA")).isEmpty();
    assertThat(sessions.verify(cookie.substring(0, dot))).isEmpty();
    assertThat(sessions.verify("")).isEmpty();
    assertThat(sessions.verify("%%%.%%%")).isEmpty();
    assertThat(sessions.verify(null)).isEmpty();
  }

  @Test
  void anotherAdminTokenOrServerSecretEndsEverySession() {
    String cookie = sessions.create();
    assertThat(
            new DashboardSessions(serverSecret, adminToken + "2", Duration.ofHours(8), clock)
                .verify(cookie))
        .isEmpty();
    byte[] other = serverSecret.clone();
    other[0] ^= 1;
    assertThat(new DashboardSessions(other, adminToken, Duration.ofHours(8), clock).verify(cookie))
        .isEmpty();
    assertThat(
            new DashboardSessions(serverSecret, adminToken, Duration.ofHours(8), clock)
                .verify(cookie))
        .isPresent();
  }

  @Test
  void csrfTokensAreTheSessionsOwn() {
    DashboardSessions.Session one = sessions.verify(sessions.create()).orElseThrow();
    DashboardSessions.Session two = sessions.verify(sessions.create()).orElseThrow();
    assertThat(sessions.csrfMatches(one, sessions.csrfToken(one))).isTrue();
    assertThat(sessions.csrfMatches(one, sessions.csrfToken(two))).isFalse();
    assertThat(sessions.csrfMatches(one, "")).isFalse();
    assertThat(sessions.csrfMatches(one, null)).isFalse();
  }

  @Test
  void signingOutEndsTheSessionAndNoOther() {
    String a = sessions.create();
    String b = sessions.create();
    sessions.signOut(sessions.verify(a).orElseThrow());
    assertThat(sessions.verify(a)).isEmpty();
    assertThat(sessions.verify(b)).isPresent();
  }
}
