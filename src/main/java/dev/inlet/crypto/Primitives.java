package dev.inlet.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-thread JCA engines. {@code getInstance} walks the provider list and allocates on every call,
 * which is measurable at tens of thousands of packets per second, so each thread keeps one of each.
 */
final class Primitives {

  static final String HMAC_SHA256 = "HmacSHA256";
  static final int SHA256_LENGTH = 32;

  private static final ThreadLocal<Mac> MAC =
      ThreadLocal.withInitial(() -> engine(() -> Mac.getInstance(HMAC_SHA256)));
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(() -> engine(() -> MessageDigest.getInstance("SHA-256")));
  /** AES-GCM ciphers each thread keeps, one per recently used key (connections interleave packet by packet). */
  static final int AES_GCM_KEYS_PER_THREAD = 256;
  private static final ThreadLocal<Map<SecretKeySpec, Cipher>> AES_GCM =
      ThreadLocal.withInitial(() -> new LinkedHashMap<>(2 * AES_GCM_KEYS_PER_THREAD, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SecretKeySpec, Cipher> eldest) {
          return size() > AES_GCM_KEYS_PER_THREAD;
        }
      });
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

  private Primitives() {}

  /** HMAC-SHA256 of {@code data} under {@code key}; returns 32 bytes. */
  static byte[] hmacSha256(SecretKeySpec key, byte[] data) {
    return hmacSha256(key, data, 0, data.length);
  }

  /** HMAC-SHA256 of {@code data[offset .. offset+length)} under {@code key}; returns 32 bytes. */
  static byte[] hmacSha256(SecretKeySpec key, byte[] data, int offset, int length) {
    Mac mac = MAC.get();
    try {
      mac.init(key);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HMAC key rejected", e);
    }
    mac.update(data, offset, length);
    return mac.doFinal();
  }

  /** HMAC-SHA256 keyed by raw bytes with an ASCII label as the message: the key-derivation step. */
  static byte[] deriveKey(byte[] secret, String label) {
    return hmacSha256(hmacKey(secret), label.getBytes(StandardCharsets.US_ASCII));
  }

  static SecretKeySpec hmacKey(byte[] key) {
    return new SecretKeySpec(key, HMAC_SHA256);
  }

  static SecretKeySpec aesKey(byte[] key) {
    return new SecretKeySpec(key, "AES");
  }

  /** SHA-256 of {@code data}; returns 32 bytes. */
  static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  /**
   * This thread's AES/GCM/NoPadding cipher for {@code key}; callers must {@code init} it (with this key) before each
   * use. One cipher per key because re-initialising a cipher with the key it last had skips the AES key schedule,
   * which otherwise cost more than the packet's encryption itself.
   */
  static Cipher aesGcm(SecretKeySpec key) {
    return AES_GCM.get().computeIfAbsent(key, k -> engine(() -> Cipher.getInstance("AES/GCM/NoPadding")));
  }

  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.get().nextBytes(bytes);
    return bytes;
  }

  private interface EngineFactory<T> {
    T create() throws GeneralSecurityException;
  }

  // Every Java SE runtime must ship these algorithms, so a failure here is a broken JDK.
  private static <T> T engine(EngineFactory<T> factory) {
    try {
      return factory.create();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("required JCA algorithm missing", e);
    }
  }
}
