package dev.inlet.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless connection credentials (RFC 0029 §4.1; RFC 0039 "Stateless Receiver"). The SPSP
 * endpoint appends a token to the receiver's ILP address; the token carries everything needed to
 * serve the connection, encrypted and authenticated, and the connection's shared secret is an HMAC
 * of its connection id. Any replica holding the same server secret therefore recognises the
 * connection without a lookup, and the receipt secret never appears in clear.
 *
 * <p>Token bytes, base64url without padding: {@code version(1)=1 | IV(12) | tag(16) | AES-256-GCM(
 * kind(1) | targetId(8, big-endian) | [receiptNonce(16) | receiptSecret(32)])}, with the version
 * byte as associated data. The random IV doubles as the connection id: GCM needs it unique per
 * token anyway, and it is authenticated since any change breaks the tag. That is 38 bytes (51
 * characters) without receipts and 86 bytes (115 characters) with them.
 *
 * <p>Keys are derived per purpose from the server secret: {@code tokenKey =
 * HMAC-SHA256(serverSecret, "inlet connection token key")} and {@code secretKey =
 * HMAC-SHA256(serverSecret, "inlet shared secret")}; the shared secret is {@code
 * HMAC-SHA256(secretKey, connectionId)}. Thread-safe.
 */
public final class ConnectionTokens {

  /**
   * Minimum server secret length, bytes: the key size of HMAC-SHA256, from which both keys are
   * derived.
   */
  public static final int minServerSecretBytes = 32;

  private static final byte tokenVersion = 1;
  private static final int headerBytes = 1;
  private static final int basePlaintextBytes = 1 + Long.BYTES;
  private static final int receiptsBytes = Receipts.nonceBytes + Receipts.secretBytes;
  private static final int shortBytes = headerBytes + Gcm.overheadBytes + basePlaintextBytes;
  private static final int longBytes = shortBytes + receiptsBytes;
  private static final int shortChars = base64Length(shortBytes);
  private static final int longChars = base64Length(longBytes);

  private static final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder unbase64 = Base64.getUrlDecoder();

  private final SecretKeySpec tokenKey;
  private final SecretKeySpec secretKey;

  /**
   * @param serverSecret at least 32 bytes; not retained, only the keys derived from it
   * @throws IllegalArgumentException if the secret is shorter than 32 bytes
   */
  public ConnectionTokens(byte[] serverSecret) {
    if (serverSecret.length < minServerSecretBytes) {
      throw new IllegalArgumentException(
          "server secret must be at least "
              + minServerSecretBytes
              + " bytes, got "
              + serverSecret.length);
    }
    this.tokenKey =
        Primitives.aesKey(Primitives.deriveKey(serverSecret, "inlet connection token key"));
    this.secretKey = Primitives.hmacKey(Primitives.deriveKey(serverSecret, "inlet shared secret"));
  }

  /**
   * Issues a fresh token; every call yields a different token and connection id.
   *
   * @param kind what the connection pays into
   * @param targetId database id of that account, invoice or voucher
   * @param receiptNonce 16 bytes, or {@code null} without receipts
   * @param receiptSecret 32 bytes, or {@code null} without receipts
   * @return 51 characters (115 with receipts) of [A-Za-z0-9_-], a valid ILP address segment
   * @throws IllegalArgumentException if only one of nonce and secret is given or either has the
   *     wrong length
   */
  public String issue(TargetKind kind, long targetId, byte[] receiptNonce, byte[] receiptSecret) {
    if ((receiptNonce == null) != (receiptSecret == null)) {
      throw new IllegalArgumentException("receipt nonce and secret must be given together");
    }
    ByteBuffer plaintext =
        ByteBuffer.allocate(basePlaintextBytes + (receiptNonce == null ? 0 : receiptsBytes));
    plaintext.put(kind.code()).putLong(targetId);
    if (receiptNonce != null) {
      if (receiptNonce.length != Receipts.nonceBytes
          || receiptSecret.length != Receipts.secretBytes) {
        throw new IllegalArgumentException("receipt nonce must be 16 bytes and secret 32 bytes");
      }
      plaintext.put(receiptNonce).put(receiptSecret);
    }
    byte[] token = new byte[headerBytes + Gcm.overheadBytes + plaintext.capacity()];
    token[0] = tokenVersion;
    System.arraycopy(Primitives.randomBytes(Gcm.ivBytes), 0, token, headerBytes, Gcm.ivBytes);
    Gcm.seal(tokenKey, plaintext.array(), token, headerBytes);
    return base64.encodeToString(token);
  }

  /**
   * The connection id of a token this instance just {@link #issue issued}, without opening it.
   *
   * @throws IllegalArgumentException if the string is not a token's base64url
   */
  public static byte[] connectionIdOf(String issuedToken) {
    byte[] raw = Base64.getUrlDecoder().decode(issuedToken);
    if (raw.length < headerBytes + Gcm.ivBytes) {
      throw new IllegalArgumentException("not a connection token");
    }
    return Arrays.copyOfRange(raw, headerBytes, headerBytes + Gcm.ivBytes);
  }

  /**
   * Verifies and decrypts a token issued with the same server secret.
   *
   * @param token the ILP address segment, non-null
   * @return its contents
   * @throws InvalidTokenException if the token has the wrong length, is not canonical base64url,
   *     has an unknown version or kind, or fails authentication (altered, or another server secret)
   */
  public ConnectionToken open(String token) throws InvalidTokenException {
    if (token.length() != shortChars && token.length() != longChars) {
      throw new InvalidTokenException("token has the wrong length: " + token.length());
    }
    byte[] raw;
    try {
      raw = unbase64.decode(token);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("token is not base64url");
    }
    // The decoder ignores the unused low bits of the last character and accepts padding, so only a
    // round trip proves the string is the one this server issued (the shared secret hashes the
    // string).
    if (!base64.encodeToString(raw).equals(token)) {
      throw new InvalidTokenException("token is not canonical base64url");
    }
    if (raw[0] != tokenVersion) {
      throw new InvalidTokenException("unknown token version " + raw[0]);
    }
    ByteBuffer plaintext;
    try {
      plaintext = ByteBuffer.wrap(Gcm.open(tokenKey, raw, headerBytes));
    } catch (AEADBadTagException e) {
      throw new InvalidTokenException("token authentication failed");
    }
    TargetKind kind = TargetKind.fromCode(plaintext.get());
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
    byte[] connectionId = Arrays.copyOfRange(raw, headerBytes, headerBytes + Gcm.ivBytes);
    return new ConnectionToken(connectionId, kind, targetId, receipts);
  }

  /**
   * The connection's STREAM shared secret: {@code HMAC-SHA256(secretKey, connectionId)}. From the
   * connection id alone, which the ledger keeps, so Inlet can send on a connection long after it
   * was opened (a refund); as unguessable as the token itself, since only a token sealed under the
   * server secret carries a given id. Does not check anything: {@link #open} a token from outside
   * first.
   *
   * @param connectionId the id sealed in the token ({@link ConnectionToken#connectionId()}), 12
   *     bytes
   * @return 32 bytes
   * @throws IllegalArgumentException if the id is not 12 bytes
   */
  public byte[] sharedSecret(byte[] connectionId) {
    if (connectionId.length != ConnectionToken.connectionIdBytes) {
      throw new IllegalArgumentException("a connection id is 12 bytes");
    }
    return Primitives.hmacSha256(secretKey, connectionId);
  }

  private static int base64Length(int bytes) {
    return (bytes * 4 + 2) / 3;
  }
}
