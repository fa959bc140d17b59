package dev.inlet.bench;

import dev.inlet.crypto.ConnectionToken;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.InvalidTokenException;
import dev.inlet.crypto.ReceiptCredentials;
import dev.inlet.crypto.Receipts;
import dev.inlet.crypto.TargetKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Benchmark-only: {@link ConnectionTokens#open} and {@link ConnectionTokens#sharedSecret} step for
 * step, with BouncyCastle's HMAC-SHA256 and AES-256-GCM in place of the JDK's. Same key labels,
 * same token layout ({@code version(1)=1 | IV(12) | tag(16) | GCM(kind(1) | targetId(8) |
 * [nonce(16) | secret(32)])}, the version byte as associated data), same checks in the same order;
 * the benchmarks assert it opens main's tokens to equal contents and derives byte-identical shared
 * secrets.
 */
final class BcConnectionTokens {
  private static final byte tokenVersion = 1;
  private static final int headerBytes = 1;
  private static final int basePlaintextBytes = 1 + Long.BYTES;
  private static final int shortBytes = headerBytes + BcPrimitives.overhead + basePlaintextBytes;
  private static final int longBytes = shortBytes + Receipts.nonceBytes + Receipts.secretBytes;
  private static final int shortChars = (shortBytes * 4 + 2) / 3;
  private static final int longChars = (longBytes * 4 + 2) / 3;

  private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder decoder = Base64.getUrlDecoder();

  private final KeyParameter tokenKey;
  private final KeyParameter secretKey;

  /**
   * @param serverSecret at least 32 bytes, as main's
   */
  BcConnectionTokens(byte[] serverSecret) {
    if (serverSecret.length < ConnectionTokens.minServerSecretBytes) {
      throw new IllegalArgumentException(
          "server secret must be at least 32 bytes, got " + serverSecret.length);
    }
    this.tokenKey =
        new KeyParameter(BcPrimitives.deriveKey(serverSecret, "inlet connection token key"));
    this.secretKey = new KeyParameter(BcPrimitives.deriveKey(serverSecret, "inlet shared secret"));
  }

  /** As {@link ConnectionTokens#open}. */
  ConnectionToken open(String token) throws InvalidTokenException {
    if (token.length() != shortChars && token.length() != longChars) {
      throw new InvalidTokenException("token has the wrong length: " + token.length());
    }
    byte[] raw;
    try {
      raw = decoder.decode(token);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("token is not base64url");
    }
    if (!encoder.encodeToString(raw).equals(token)) {
      throw new InvalidTokenException("token is not canonical base64url");
    }
    if (raw[0] != tokenVersion) {
      throw new InvalidTokenException("unknown token version " + raw[0]);
    }
    ByteBuffer plaintext;
    try {
      plaintext = ByteBuffer.wrap(BcPrimitives.open(tokenKey, raw, headerBytes));
    } catch (InvalidCipherTextException e) {
      throw new InvalidTokenException("token authentication failed");
    }
    TargetKind kind = kindOf(plaintext.get());
    if (kind == null) {
      throw new InvalidTokenException("unknown target kind");
    }
    long targetId = plaintext.getLong();
    Optional<ReceiptCredentials> receipts = Optional.empty();
    if (plaintext.hasRemaining()) {
      byte[] nonce = new byte[Receipts.nonceBytes];
      byte[] secret = new byte[Receipts.secretBytes];
      plaintext.get(nonce).get(secret);
      receipts = Optional.of(new ReceiptCredentials(nonce, secret));
    }
    byte[] connectionId = Arrays.copyOfRange(raw, headerBytes, headerBytes + BcPrimitives.ivLength);
    return new ConnectionToken(connectionId, kind, targetId, receipts);
  }

  /**
   * As {@link ConnectionTokens#sharedSecret}: HMAC-SHA256(secretKey, ASCII bytes of token), 32
   * bytes.
   */
  byte[] sharedSecret(String token) {
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) > 0x7F) {
        throw new IllegalArgumentException("token must be ASCII");
      }
    }
    return BcPrimitives.hmacSha256(secretKey, token.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code TargetKind.fromCode} is package-private in main; these are its fixed wire codes. */
  private static TargetKind kindOf(byte code) {
    return switch (code) {
      case 1 -> TargetKind.ACCOUNT;
      case 2 -> TargetKind.INVOICE;
      case 3 -> TargetKind.VOUCHER;
      default -> null;
    };
  }
}
