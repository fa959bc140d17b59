package dev.inlet.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Benchmark-only: main's {@code crypto.Primitives} and {@code crypto.Gcm} with BouncyCastle's
 * lightweight engines in place of the JDK's. Same shapes: one engine of each kind per thread, keyed
 * on every call; AES-256-GCM in the STREAM layout {@code IV(12) | tag(16) | ciphertext} with the
 * bytes before {@code offset} as associated data.
 */
final class BcPrimitives {
  static final int ivLength = 12;
  static final int tagLength = 16;
  static final int overhead = ivLength + tagLength;
  static final int sha256Length = 32;

  private static final int tagBits = tagLength * 8;

  private static final ThreadLocal<HMac> hmac =
      ThreadLocal.withInitial(() -> new HMac(new SHA256Digest()));
  private static final ThreadLocal<SHA256Digest> sha256Digest =
      ThreadLocal.withInitial(SHA256Digest::new);
  private static final ThreadLocal<GCMModeCipher> aesGcm =
      ThreadLocal.withInitial(() -> GCMBlockCipher.newInstance(AESEngine.newInstance()));

  private BcPrimitives() {}

  /** hmac-sha256Digest of {@code data[offset .. offset+length)}; returns 32 bytes. */
  static byte[] hmacSha256(KeyParameter key, byte[] data, int offset, int length) {
    HMac mac = hmac.get();
    mac.init(key);
    mac.update(data, offset, length);
    byte[] out = new byte[sha256Length];
    mac.doFinal(out, 0);
    return out;
  }

  static byte[] hmacSha256(KeyParameter key, byte[] data) {
    return hmacSha256(key, data, 0, data.length);
  }

  /** Main's key-derivation step: hmac-sha256Digest keyed by raw bytes over an ASCII label. */
  static byte[] deriveKey(byte[] secret, String label) {
    return hmacSha256(new KeyParameter(secret), label.getBytes(StandardCharsets.US_ASCII));
  }

  /** SHA-256 of {@code data}; returns 32 bytes. */
  static byte[] sha256(byte[] data) {
    SHA256Digest digest = sha256Digest.get();
    digest.update(data, 0, data.length);
    byte[] out = new byte[sha256Length];
    digest.doFinal(out, 0);
    return out;
  }

  /**
   * As main's {@code Gcm.seal}: {@code out[offset ..]} already holds the IV and has room for the
   * tag and ciphertext. BouncyCastle, like the JDK, writes ciphertext|tag, so the tag is rotated in
   * front the same way.
   */
  static void seal(KeyParameter key, byte[] plaintext, byte[] out, int offset) {
    int n = plaintext.length;
    int tagAt = offset + ivLength;
    int ciphertextAt = tagAt + tagLength;
    GCMModeCipher cipher = aesGcm.get();
    cipher.init(true, new AEADParameters(key, tagBits, Arrays.copyOfRange(out, offset, tagAt)));
    if (offset > 0) {
      cipher.processAADBytes(out, 0, offset);
    }
    try {
      int written = cipher.processBytes(plaintext, 0, n, out, tagAt);
      cipher.doFinal(out, tagAt + written);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    byte[] tag = Arrays.copyOfRange(out, tagAt + n, tagAt + n + tagLength);
    System.arraycopy(out, tagAt, out, ciphertextAt, n);
    System.arraycopy(tag, 0, out, tagAt, tagLength);
  }

  /**
   * As main's {@code Gcm.open}: decrypts the envelope at {@code data[offset ..]}, feeding
   * ciphertext then tag.
   *
   * @throws InvalidCipherTextException if the envelope is shorter than 28 bytes or fails
   *     authentication
   */
  static byte[] open(KeyParameter key, byte[] data, int offset) throws InvalidCipherTextException {
    int tagAt = offset + ivLength;
    int ciphertextAt = tagAt + tagLength;
    int n = data.length - ciphertextAt;
    if (n < 0) {
      throw new InvalidCipherTextException("shorter than IV and tag");
    }
    byte[] plaintext = new byte[n];
    GCMModeCipher cipher = aesGcm.get();
    cipher.init(false, new AEADParameters(key, tagBits, Arrays.copyOfRange(data, offset, tagAt)));
    if (offset > 0) {
      cipher.processAADBytes(data, 0, offset);
    }
    int written = cipher.processBytes(data, ciphertextAt, n, plaintext, 0);
    written += cipher.processBytes(data, tagAt, tagLength, plaintext, written);
    cipher.doFinal(plaintext, written);
    return plaintext;
  }
}
