package dev.inlet.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets Inlet must keep in its database (a webhook's signing secret, a payout's STREAM
 * shared secret) so that a dump of the database alone does not reveal them: AES-256-GCM under a key
 * derived from the server secret per purpose ({@code HMAC-SHA256(serverSecret, label)}), stored as
 * {@code version(1)=1 | IV(12) | tag(16) | ciphertext}, the version byte authenticated.
 * Thread-safe.
 */
public final class Sealer {
  private static final byte version = 1;

  private final SecretKeySpec key;

  /**
   * @param serverSecret the server secret (≥ 32 bytes)
   * @param label what is sealed, e.g. {@code "inlet payout shared secret v1"}: one key per purpose
   */
  public Sealer(byte[] serverSecret, String label) {
    this.key = Primitives.aesKey(Primitives.deriveKey(serverSecret, label));
  }

  /** The stored form of {@code plaintext}: 29 bytes longer, different each time. */
  public byte[] seal(byte[] plaintext) {
    byte[] out = new byte[1 + Gcm.overheadBytes + plaintext.length];
    out[0] = version;
    System.arraycopy(Primitives.randomBytes(Gcm.ivBytes), 0, out, 1, Gcm.ivBytes);
    Gcm.seal(key, plaintext, out, 1);
    return out;
  }

  /**
   * What {@link #seal} was given.
   *
   * @throws DecryptionException when it was sealed under another server secret or label, or is
   *     damaged
   */
  public byte[] open(byte[] sealed) throws DecryptionException {
    if (sealed.length < 1 + Gcm.overheadBytes || sealed[0] != version) {
      throw new DecryptionException("not a sealed secret");
    }
    try {
      return Gcm.open(key, sealed, 1);
    } catch (AEADBadTagException e) {
      throw new DecryptionException("the sealed secret does not open");
    }
  }
}
