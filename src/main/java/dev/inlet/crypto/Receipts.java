package dev.inlet.crypto;

import java.nio.ByteBuffer;

/**
 * STREAM receipts (RFC 0039 "Specification"): proof for a verifier of the total received on one
 * stream, carried in a {@code StreamReceipt} frame (RFC 0029 §5.3.15).
 *
 * <p>Layout, 58 bytes: {@code version(1)=1 | nonce(16) | streamId UInt8(1) | totalReceived
 * UInt64(8, big-endian) | HMAC-SHA256(secret, the first 26 bytes)(32)}.
 */
public final class Receipts {

  /** Receipt format version. */
  public static final int receiptVersion = 1;

  /** Receipt nonce length in bytes. */
  public static final int nonceBytes = 16;

  /** Receipt secret length in bytes. */
  public static final int secretBytes = 32;

  /** Largest stream id a receipt can carry: RFC 0039 encodes it as a UInt8. */
  public static final long maxStreamId = 0xFF;

  /** Encoded receipt length in bytes. */
  public static final int lengthBytes = 1 + nonceBytes + 1 + Long.BYTES + Primitives.sha256Bytes;

  private static final int signedBytes = lengthBytes - Primitives.sha256Bytes;

  private Receipts() {}

  /**
   * Builds and signs a receipt.
   *
   * @param nonce the verifier's receipt nonce, 16 bytes
   * @param secret the verifier's receipt secret, 32 bytes
   * @param streamId the stream, 0..255 (a UInt8 in RFC 0039)
   * @param totalReceived the stream's running total in the receiver's units, read as an unsigned
   *     64-bit integer
   * @return the 58-byte receipt
   * @throws IllegalArgumentException if the nonce or secret has the wrong length or streamId is
   *     outside 0..255
   */
  public static byte[] receipt(byte[] nonce, byte[] secret, long streamId, long totalReceived) {
    if (nonce.length != nonceBytes) {
      throw new IllegalArgumentException("receipt nonce must be 16 bytes, got " + nonce.length);
    }
    if (secret.length != secretBytes) {
      throw new IllegalArgumentException("receipt secret must be 32 bytes, got " + secret.length);
    }
    if (streamId < 0 || streamId > maxStreamId) {
      throw new IllegalArgumentException("receipt stream id must be 0..255, got " + streamId);
    }
    byte[] receipt = new byte[lengthBytes];
    ByteBuffer.wrap(receipt)
        .put((byte) receiptVersion)
        .put(nonce)
        .put((byte) streamId)
        .putLong(totalReceived);
    byte[] hmac = Primitives.hmacSha256(Primitives.hmacKey(secret), receipt, 0, signedBytes);
    System.arraycopy(hmac, 0, receipt, signedBytes, hmac.length);
    return receipt;
  }

  /**
   * The total a receipt proves, when it is one made with this nonce and secret (RFC 0039): version
   * 1, the nonce, the stream, and an HMAC that matches.
   *
   * @return the stream's total received (unsigned 64-bit); empty for anything else
   */
  public static java.util.OptionalLong verify(
      byte[] receipt, byte[] nonce, byte[] secret, long streamId) {
    if (receipt.length != lengthBytes) {
      return java.util.OptionalLong.empty();
    }
    long total = ByteBuffer.wrap(receipt, 1 + nonceBytes + 1, Long.BYTES).getLong();
    return java.security.MessageDigest.isEqual(receipt, receipt(nonce, secret, streamId, total))
        ? java.util.OptionalLong.of(total)
        : java.util.OptionalLong.empty();
  }
}
