package dev.inlet.admin.ui;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's sign-in sessions: a signed cookie value, {@code base64url(expiry ‖ id) "."
 * base64url(HMAC-SHA256)}, with the expiry in epoch seconds and a random 16-byte id. Nothing is
 * stored per session, so every replica with the same server secret and admin token accepts it; the
 * signing key derives from both, so changing the admin token ends every session.
 *
 * <p>A session's CSRF token is {@code HMAC(key, "csrf" ‖ id)}: forms carry it, and a POST whose
 * token differs is refused. Signing out remembers the session id on this replica until its expiry
 * (at most {@link #maxSignedOut} of them); the cookie is cleared in the browser in any case.
 */
public final class DashboardSessions {
  /** Name of the session cookie. */
  public static final String cookieName = "inlet_admin";

  /** Signed-out session ids remembered at most (about 100 bytes each). */
  public static final int maxSignedOut = 10_000;

  private static final int idBytes = 16;
  private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder decoder = Base64.getUrlDecoder();
  private static final SecureRandom random = new SecureRandom();

  private final SecretKeySpec key;
  private final Duration lifetime;
  private final Clock clock;
  private final Cache<String, Boolean> signedOut;

  /** A valid session: its id (base64url) and when it ends. */
  public record Session(String id, Instant expiresAt) {}

  /**
   * @param serverSecret the server secret (≥ 32 bytes)
   * @param adminToken the admin token the sessions stand for
   * @param lifetime how long a session lasts from sign-in (positive)
   * @param clock the clock, {@link Clock#systemUTC()} outside tests
   */
  public DashboardSessions(byte[] serverSecret, String adminToken, Duration lifetime, Clock clock) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("session lifetime must be positive: " + lifetime);
    }
    byte[] derived =
        hmac(
            new SecretKeySpec(serverSecret, "HmacSHA256"),
            ("inlet admin dashboard session\0" + adminToken).getBytes(StandardCharsets.UTF_8));
    this.key = new SecretKeySpec(derived, "HmacSHA256");
    this.lifetime = lifetime;
    this.clock = clock;
    this.signedOut =
        Caffeine.newBuilder().maximumSize(maxSignedOut).expireAfterWrite(lifetime).build();
  }

  /** How long a session lasts from sign-in. */
  public Duration lifetime() {
    return lifetime;
  }

  /** A new session's cookie value. */
  public String create() {
    byte[] id = new byte[idBytes];
    random.nextBytes(id);
    long expiry = clock.instant().plus(lifetime).getEpochSecond();
    byte[] body = ByteBuffer.allocate(8 + idBytes).putLong(expiry).put(id).array();
    return encoder.encodeToString(body) + "." + encoder.encodeToString(hmac(key, body));
  }

  /** The session a cookie value stands for: empty when forged, malformed, expired or signed out. */
  public Optional<Session> verify(String cookie) {
    if (cookie == null || cookie.length() > 200) {
      return Optional.empty();
    }
    int dot = cookie.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    byte[] body;
    byte[] mac;
    try {
      body = decoder.decode(cookie.substring(0, dot));
      mac = decoder.decode(cookie.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (body.length != 8 + idBytes || !MessageDigest.isEqual(hmac(key, body), mac)) {
      return Optional.empty();
    }
    Instant expiresAt = Instant.ofEpochSecond(ByteBuffer.wrap(body).getLong());
    String id = encoder.encodeToString(Arrays.copyOfRange(body, 8, body.length));
    if (!clock.instant().isBefore(expiresAt) || signedOut.getIfPresent(id) != null) {
      return Optional.empty();
    }
    return Optional.of(new Session(id, expiresAt));
  }

  /** The session's CSRF token (base64url). */
  public String csrfToken(Session session) {
    return encoder.encodeToString(
        hmac(key, ("csrf\0" + session.id()).getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether {@code presented} is the session's CSRF token, compared in constant time. */
  public boolean csrfMatches(Session session, String presented) {
    return presented != null
        && MessageDigest.isEqual(
            csrfToken(session).getBytes(StandardCharsets.US_ASCII),
            presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Ends the session on this replica (its cookie is cleared by the response). */
  public void signOut(Session session) {
    signedOut.put(session.id(), Boolean.TRUE);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
