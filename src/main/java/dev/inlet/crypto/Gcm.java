package dev.inlet.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM in the STREAM wire layout {@code IV(12) | tag(16) | ciphertext} (RFC 0029 §5.1.1).
 * The JDK appends the tag instead, so both directions move it. Any bytes in front of the envelope
 * in the same array are authenticated as associated data, which lets a versioned format bind its
 * version byte without an extra array.
 */
final class Gcm {

  static final int ivBytes = 12;
  static final int tagBytes = 16;
  static final int overheadBytes = ivBytes + tagBytes;

  private static final int tagBits = tagBytes * 8;

  private Gcm() {}

  /**
   * Encrypts {@code plaintext} into {@code out[offset ..]}, which must already hold the 12-byte IV
   * at {@code offset} and have room for {@link #overheadBytes} + plaintext bytes; {@code out[0 ..
   * offset)} is the associated data.
   *
   * @throws IllegalStateException if the JDK refuses, e.g. the same key and IV were just used on
   *     this thread (its guard against GCM nonce reuse)
   */
  static void seal(SecretKeySpec key, byte[] plaintext, byte[] out, int offset) {
    int n = plaintext.length;
    int tagAt = offset + ivBytes;
    int ciphertextAt = tagAt + tagBytes;
    Cipher cipher = Primitives.aesGcm(key);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(tagBits, out, offset, ivBytes));
      if (offset > 0) {
        cipher.updateAAD(out, 0, offset);
      }
      // The JDK writes ciphertext|tag; write it at tagAt, then rotate the tag in front.
      cipher.doFinal(plaintext, 0, n, out, tagAt);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    byte[] tag = Arrays.copyOfRange(out, tagAt + n, tagAt + n + tagBytes);
    System.arraycopy(out, tagAt, out, ciphertextAt, n);
    System.arraycopy(tag, 0, out, tagAt, tagBytes);
  }

  /**
   * Decrypts the envelope at {@code data[offset ..]} (IV, tag, then ciphertext to the end of the
   * array), with {@code data[0 .. offset)} as associated data.
   *
   * @return the plaintext, {@code data.length - offset - 28} bytes
   * @throws AEADBadTagException if the envelope is shorter than 28 bytes or fails authentication
   */
  static byte[] open(SecretKeySpec key, byte[] data, int offset) throws AEADBadTagException {
    int tagAt = offset + ivBytes;
    int ciphertextAt = tagAt + tagBytes;
    int n = data.length - ciphertextAt;
    if (n < 0) {
      throw new AEADBadTagException("shorter than IV and tag");
    }
    byte[] plaintext = new byte[n];
    Cipher cipher = Primitives.aesGcm(key);
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(tagBits, data, offset, ivBytes));
      if (offset > 0) {
        cipher.updateAAD(data, 0, offset);
      }
      // Feed ciphertext then tag: the JDK expects them in that order and reads straight from data.
      int written = cipher.update(data, ciphertextAt, n, plaintext, 0);
      cipher.doFinal(data, tagAt, tagBytes, plaintext, written);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
    return plaintext;
  }
}
