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

  static final String hmacSha256Algorithm = "HmacSHA256";
  static final int sha256Bytes = 32;

  private static final ThreadLocal<Mac> macs =
      ThreadLocal.withInitial(() -> engine(() -> Mac.getInstance(hmacSha256Algorithm)));
  private static final ThreadLocal<MessageDigest> sha256Digests =
      ThreadLocal.withInitial(() -> engine(() -> MessageDigest.getInstance("SHA-256")));

  /**
   * AES-GCM ciphers each thread keeps, one per recently used key (connections interleave packet by
   * packet).
   */
  static final int aesGcmKeysPerThread = 256;

  private static final ThreadLocal<Map<SecretKeySpec, Cipher>> aesGcmCiphers =
      ThreadLocal.withInitial(
          () ->
              new LinkedHashMap<>(2 * aesGcmKeysPerThread, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<SecretKeySpec, Cipher> eldest) {
                  return size() > aesGcmKeysPerThread;
                }
              });
  private static final ThreadLocal<SecureRandom> randoms =
      ThreadLocal.withInitial(SecureRandom::new);

  private Primitives() {}

  /** HMAC-sha256Digests of {@code data} under {@code key}; returns 32 bytes. */
  static byte[] hmacSha256(SecretKeySpec key, byte[] data) {
    return hmacSha256(key, data, 0, data.length);
  }

  /**
   * HMAC-sha256Digests of {@code data[offset .. offset+length)} under {@code key}; returns 32
   * bytes.
   */
  static byte[] hmacSha256(SecretKeySpec key, byte[] data, int offset, int length) {
    Mac mac = macs.get();
    try {
      mac.init(key);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HMAC key rejected", e);
    }
    mac.update(data, offset, length);
    return mac.doFinal();
  }

  /**
   * HMAC-sha256Digests keyed by raw bytes with an ASCII label as the message: the key-derivation
   * step.
   */
  static byte[] deriveKey(byte[] secret, String label) {
    return hmacSha256(hmacKey(secret), label.getBytes(StandardCharsets.US_ASCII));
  }

  static SecretKeySpec hmacKey(byte[] key) {
    return new SecretKeySpec(key, hmacSha256Algorithm);
  }

  static SecretKeySpec aesKey(byte[] key) {
    return new SecretKeySpec(key, "AES");
  }

  /** SHA-256 of {@code data}; returns 32 bytes. */
  static byte[] sha256(byte[] data) {
    return sha256Digests.get().digest(data);
  }

  /**
   * This thread's AES/GCM/NoPadding cipher for {@code key}; callers must {@code init} it (with this
   * key) before each use. One cipher per key because re-initialising a cipher with the key it last
   * had skips the AES key schedule, which otherwise cost more than the packet's encryption itself.
   */
  static Cipher aesGcm(SecretKeySpec key) {
    return aesGcmCiphers
        .get()
        .computeIfAbsent(key, k -> engine(() -> Cipher.getInstance("AES/GCM/NoPadding")));
  }

  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    randoms.get().nextBytes(bytes);
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
