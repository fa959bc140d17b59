package dev.inlet.merchant;

import dev.inlet.crypto.SecretHashes;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API keys: {@code inlet_} and 32 random bytes in base64url (49 characters). Only a key's SHA-256
 * is stored: with 256 random bits, a plain hash is as good as a slow one and costs nothing per
 * request.
 */
public final class ApiKeys {
  /** What every key starts with, so that a leaked key is easy to recognise (secret scanners). */
  public static final String prefix = "inlet_";

  private static final int randomBytes = 32;
  private static final SecureRandom random = new SecureRandom();

  private ApiKeys() {}

  /** A fresh key. */
  public static String generate() {
    byte[] bytes = new byte[randomBytes];
    random.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of {@code key}: SHA-256 of its UTF-8 bytes, 32 bytes. */
  public static byte[] hash(String key) {
    return SecretHashes.of(key);
  }
}
