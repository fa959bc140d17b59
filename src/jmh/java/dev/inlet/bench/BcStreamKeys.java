package dev.inlet.bench;

import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.StreamKeys;
import java.security.SecureRandom;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Benchmark-only: main's {@link StreamKeys} operations on BouncyCastle engines, for the same
 * connection keys. Keys are held as {@link KeyParameter}s built once, as {@code StreamKeys} holds
 * its {@code SecretKeySpec}s.
 */
final class BcStreamKeys {
  private static final ThreadLocal<SecureRandom> randoms =
      ThreadLocal.withInitial(SecureRandom::new);

  private final KeyParameter aesKey;
  private final KeyParameter hmacKey;

  /** Takes the keys main derived, so both providers work on the same connection. */
  BcStreamKeys(StreamKeys keys) {
    this.aesKey = new KeyParameter(keys.encryptionKey());
    this.hmacKey = new KeyParameter(keys.fulfillmentKey());
  }

  /**
   * As {@link StreamKeys#encrypt(byte[])}: a fresh random IV from this thread's {@link
   * SecureRandom}.
   */
  byte[] encrypt(byte[] plaintext) {
    return encrypt(plaintext, randomIv());
  }

  /** 12 bytes from this thread's {@link SecureRandom}, as main's {@code Primitives.randomBytes}. */
  static byte[] randomIv() {
    byte[] iv = new byte[BcPrimitives.ivLength];
    randoms.get().nextBytes(iv);
    return iv;
  }

  /** With a caller-chosen IV: only to check this against main's output. */
  byte[] encrypt(byte[] plaintext, byte[] iv) {
    byte[] out = new byte[BcPrimitives.overhead + plaintext.length];
    System.arraycopy(iv, 0, out, 0, BcPrimitives.ivLength);
    BcPrimitives.seal(aesKey, plaintext, out, 0);
    return out;
  }

  /** As {@link StreamKeys#decrypt(byte[])}. */
  byte[] decrypt(byte[] data) throws DecryptionException {
    if (data.length < BcPrimitives.overhead) {
      throw new DecryptionException("encrypted data must be at least 28 bytes, got " + data.length);
    }
    try {
      return BcPrimitives.open(aesKey, data, 0);
    } catch (InvalidCipherTextException e) {
      throw new DecryptionException("authentication tag mismatch");
    }
  }

  /** As {@link StreamKeys#fulfillment(byte[])}: HMAC-SHA256(fulfillmentKey, data), 32 bytes. */
  byte[] fulfillment(byte[] encryptedData) {
    return BcPrimitives.hmacSha256(hmacKey, encryptedData);
  }
}
