package dev.inlet.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signing secrets: {@code whsec_} and 32 random bytes in base64url, shown once. Stored
 * sealed with AES-256-GCM under a key derived from the server secret ({@code HMAC-SHA256(server
 * secret, "inlet webhook secret v1")}), as {@code version(1) | IV(12) | ciphertext | tag(16)} with
 * the version byte authenticated: a database dump alone does not let anyone sign deliveries. (The
 * crypto package's GCM helpers are package-private and tuned for the packet path; this is small and
 * off it.)
 *
 * <p>Signatures: {@code Inlet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<raw
 * body>")>} where the key is the secret string's UTF-8 bytes as shown, {@code whsec_} included, so
 * a receiver uses what it was given as is.
 */
public final class WebhookSecrets {
  /** What every secret starts with. */
  public static final String prefix = "whsec_";

  private static final byte version = 1;
  private static final int secretBytes = 32;
  private static final int ivBytes = 12;
  private static final int tagBits = 128;
  private static final SecureRandom random = new SecureRandom();

  private final SecretKeySpec sealKey;

  /**
   * @param serverSecret the server secret (≥ 32 bytes)
   */
  public WebhookSecrets(byte[] serverSecret) {
    this.sealKey =
        new SecretKeySpec(
            hmac(serverSecret, "inlet webhook secret v1".getBytes(StandardCharsets.US_ASCII)),
            "AES");
  }

  /** A fresh secret as shown to the merchant. */
  public static String generate() {
    byte[] bytes = new byte[secretBytes];
    random.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of {@code secret}. */
  public byte[] seal(String secret) {
    byte[] plaintext = secret.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[1 + ivBytes];
    out[0] = version;
    byte[] iv = new byte[ivBytes];
    random.nextBytes(iv);
    System.arraycopy(iv, 0, out, 1, ivBytes);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(tagBits, iv));
      cipher.updateAAD(out, 0, 1);
      byte[] sealed = cipher.doFinal(plaintext);
      byte[] all = Arrays.copyOf(out, out.length + sealed.length);
      System.arraycopy(sealed, 0, all, out.length, sealed.length);
      return all;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * The secret {@link #seal} stored.
   *
   * @throws IllegalStateException when it was sealed under another server secret or is damaged
   */
  public String open(byte[] sealed) {
    if (sealed.length < 1 + ivBytes + tagBits / 8 || sealed[0] != version) {
      throw new IllegalStateException("not a sealed webhook secret");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(tagBits, sealed, 1, ivBytes));
      cipher.updateAAD(sealed, 0, 1);
      byte[] plain = cipher.doFinal(sealed, 1 + ivBytes, sealed.length - 1 - ivBytes);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
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
