package dev.inlet.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The contents of an opened connection token: which connection this is and what it pays into. The
 * connection id array is copied in and out; equality is by content.
 *
 * @param connectionId 12 random bytes, unique per issued token (per SPSP query)
 * @param kind what the connection pays into
 * @param targetId database id of the account, invoice or voucher
 * @param receipts the verifier's receipt nonce and secret, if receipts were requested (RFC 0039)
 */
public record ConnectionToken(
    byte[] connectionId, TargetKind kind, long targetId, Optional<ReceiptCredentials> receipts) {

  /** Connection id length in bytes. */
  public static final int connectionIdBytes = 12;

  /**
   * @throws IllegalArgumentException if the connection id is not 12 bytes
   */
  public ConnectionToken {
    if (connectionId.length != connectionIdBytes) {
      throw new IllegalArgumentException(
          "connection id must be 12 bytes, got " + connectionId.length);
    }
    connectionId = connectionId.clone();
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(receipts, "receipts");
  }

  /**
   * @return a copy of the connection id, 12 bytes
   */
  @Override
  public byte[] connectionId() {
    return connectionId.clone();
  }

  /**
   * @return the connection id as 24 lowercase hex characters, e.g. for logs and map keys
   */
  public String connectionIdHex() {
    return HexFormat.of().formatHex(connectionId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionToken other
        && Arrays.equals(connectionId, other.connectionId)
        && kind == other.kind
        && targetId == other.targetId
        && receipts.equals(other.receipts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(connectionId), kind, targetId, receipts);
  }

  @Override
  public String toString() {
    return "ConnectionToken[connectionId="
        + connectionIdHex()
        + ", kind="
        + kind
        + ", targetId="
        + targetId
        + ", receipts="
        + receipts
        + "]";
  }
}
