package dev.inlet.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of one STREAM connection, derived from its shared secret (RFC 0029 §5.1, §6.3).
 * Immutable and thread-safe.
 */
public final class StreamKeys {

  /** Recommended and required shared-secret length in bytes (RFC 0029 §4.1). */
  public static final int sharedSecretBytes = 32;

  private static final String encryptionLabel = "ilp_stream_encryption";
  private static final String fulfillmentLabel = "ilp_stream_fulfillment";

  private final byte[] encryptionKey;
  private final byte[] fulfillmentKey;
  private final SecretKeySpec aesKey;
  private final SecretKeySpec hmacKey;

  private StreamKeys(byte[] encryptionKey, byte[] fulfillmentKey) {
    this.encryptionKey = encryptionKey;
    this.fulfillmentKey = fulfillmentKey;
    this.aesKey = Primitives.aesKey(encryptionKey);
    this.hmacKey = Primitives.hmacKey(fulfillmentKey);
  }

  /**
   * Derives {@code encryptionKey = HMAC-SHA256(sharedSecret, "ilp_stream_encryption")} and {@code
   * fulfillmentKey = HMAC-SHA256(sharedSecret, "ilp_stream_fulfillment")}.
   *
   * @param sharedSecret 32 bytes
   * @throws IllegalArgumentException if the secret is not 32 bytes
   */
  public static StreamKeys derive(byte[] sharedSecret) {
    if (sharedSecret.length != sharedSecretBytes) {
      throw new IllegalArgumentException(
          "shared secret must be 32 bytes, got " + sharedSecret.length);
    }
    return new StreamKeys(
        Primitives.deriveKey(sharedSecret, encryptionLabel),
        Primitives.deriveKey(sharedSecret, fulfillmentLabel));
  }

  /**
   * @return a copy of the AES-256 encryption key, 32 bytes
   */
  public byte[] encryptionKey() {
    return encryptionKey.clone();
  }

  /**
   * @return a copy of the HMAC fulfillment key, 32 bytes
   */
  public byte[] fulfillmentKey() {
    return fulfillmentKey.clone();
  }

  /**
   * Encrypts a STREAM packet with a fresh random IV (RFC 0029 §5.1.2).
   *
   * @param plaintext the encoded STREAM packet, any length
   * @return {@code IV(12) | tag(16) | ciphertext}, plaintext length + 28 bytes
   */
  public byte[] encrypt(byte[] plaintext) {
    return encrypt(plaintext, Primitives.randomBytes(Gcm.ivBytes));
  }

  /**
   * Encrypts with a caller-chosen IV; only for known-answer tests, since reusing an IV under one
   * key breaks GCM.
   *
   * @param iv 12 bytes
   * @throws IllegalArgumentException if the IV is not 12 bytes
   */
  byte[] encrypt(byte[] plaintext, byte[] iv) {
    if (iv.length != Gcm.ivBytes) {
      throw new IllegalArgumentException("IV must be 12 bytes, got " + iv.length);
    }
    byte[] out = new byte[Gcm.overheadBytes + plaintext.length];
    System.arraycopy(iv, 0, out, 0, Gcm.ivBytes);
    Gcm.seal(aesKey, plaintext, out, 0);
    return out;
  }

  /**
   * Decrypts the data field of an ILP packet (RFC 0029 §5.1.2).
   *
   * @param data {@code IV(12) | tag(16) | ciphertext}, at least 28 bytes
   * @return the plaintext STREAM packet, data length - 28 bytes
   * @throws DecryptionException if the data is shorter than 28 bytes or fails authentication
   */
  public byte[] decrypt(byte[] data) throws DecryptionException {
    if (data.length < Gcm.overheadBytes) {
      throw new DecryptionException("encrypted data must be at least 28 bytes, got " + data.length);
    }
    try {
      return Gcm.open(aesKey, data, 0);
    } catch (AEADBadTagException e) {
      throw new DecryptionException("authentication tag mismatch");
    }
  }

  /**
   * The fulfillment for a Prepare carrying this data: {@code HMAC-SHA256(fulfillmentKey, data)}
   * (RFC 0029 §6.3). Its condition is {@link Conditions#condition(byte[])}.
   *
   * @param encryptedData the Prepare's data field exactly as received
   * @return 32 bytes
   */
  public byte[] fulfillment(byte[] encryptedData) {
    return Primitives.hmacSha256(hmacKey, encryptedData);
  }
}
