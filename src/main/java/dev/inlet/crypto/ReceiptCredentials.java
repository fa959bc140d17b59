package dev.inlet.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A verifier's receipt nonce and secret for one connection (RFC 0039 "Flow"). Arrays are copied in
 * and out; equality is by content; {@link #toString()} never shows the secret.
 *
 * @param nonce 16 bytes, echoed in every receipt
 * @param secret 32 bytes, the receipt HMAC key
 */
public record ReceiptCredentials(byte[] nonce, byte[] secret) {

  /**
   * @throws IllegalArgumentException if the nonce is not 16 bytes or the secret not 32
   */
  public ReceiptCredentials {
    if (nonce.length != Receipts.nonceBytes) {
      throw new IllegalArgumentException("receipt nonce must be 16 bytes, got " + nonce.length);
    }
    if (secret.length != Receipts.secretBytes) {
      throw new IllegalArgumentException("receipt secret must be 32 bytes, got " + secret.length);
    }
    nonce = nonce.clone();
    secret = secret.clone();
  }

  /**
   * @return a copy of the nonce, 16 bytes
   */
  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  /**
   * @return a copy of the secret, 32 bytes
   */
  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /**
   * The receipt for a stream's running total, as {@link Receipts#receipt}.
   *
   * @return 58 bytes
   * @throws IllegalArgumentException if streamId is outside 0..255
   */
  public byte[] receipt(long streamId, long totalReceived) {
    return Receipts.receipt(nonce, secret, streamId, totalReceived);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceiptCredentials other
        && Arrays.equals(nonce, other.nonce)
        && Arrays.equals(secret, other.secret);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(nonce) + Arrays.hashCode(secret);
  }

  @Override
  public String toString() {
    return "ReceiptCredentials[nonce=" + HexFormat.of().formatHex(nonce) + ", secret=redacted]";
  }
}
