package dev.inlet.crypto;

import java.nio.charset.StandardCharsets;

/**
 * How secrets a client presents (API keys, voucher and mandate codes) are stored and looked up
 * without being kept in clear: SHA-256 of their UTF-8 bytes. They carry 128 random bits or more, so
 * a plain hash is enough; no salt, so the hash is the lookup key.
 */
public final class SecretHashes {
  private SecretHashes() {}

  /** SHA-256 of {@code secret}'s UTF-8 bytes: 32 bytes. */
  public static byte[] of(String secret) {
    return Primitives.sha256(secret.getBytes(StandardCharsets.UTF_8));
  }
}
