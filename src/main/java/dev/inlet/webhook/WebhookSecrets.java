package dev.inlet.webhook;

import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.Sealer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signing secrets: {@code whsec_} and 32 random bytes in base64url, shown once. Stored
 * sealed ({@link Sealer}, label {@code "inlet webhook secret v1"}): a database dump alone does not
 * let anyone sign deliveries.
 *
 * <p>Signatures: {@code Inlet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<raw
 * body>")>} where the key is the secret string's UTF-8 bytes as shown, {@code whsec_} included, so
 * a receiver uses what it was given as is.
 */
public final class WebhookSecrets {
  /** What every secret starts with. */
  public static final String prefix = "whsec_";

  private static final int secretBytes = 32;
  private static final SecureRandom random = new SecureRandom();

  private final Sealer sealer;

  /**
   * @param serverSecret the server secret (≥ 32 bytes)
   */
  public WebhookSecrets(byte[] serverSecret) {
    this.sealer = new Sealer(serverSecret, "inlet webhook secret v1");
  }

  /** A fresh secret as shown to the merchant. */
  public static String generate() {
    byte[] bytes = new byte[secretBytes];
    random.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of {@code secret}. */
  public byte[] seal(String secret) {
    return sealer.seal(secret.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The secret {@link #seal} stored.
   *
   * @throws IllegalStateException when it was sealed under another server secret or is damaged
   */
  public String open(byte[] sealed) {
    try {
      return new String(sealer.open(sealed), StandardCharsets.UTF_8);
    } catch (DecryptionException e) {
      throw new IllegalStateException(
          "webhook secret does not open (was the server secret changed?)", e);
    }
  }

  /** The {@code Inlet-Signature} header value for {@code body} sent at {@code unixSeconds}. */
  public static String signature(String secret, long unixSeconds, byte[] body) {
    byte[] t = (unixSeconds + ".").getBytes(StandardCharsets.US_ASCII);
    byte[] message = Arrays.copyOf(t, t.length + body.length);
    System.arraycopy(body, 0, message, t.length, body.length);
    return "t="
        + unixSeconds
        + ",v1="
        + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), message));
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
    }
  }
}
