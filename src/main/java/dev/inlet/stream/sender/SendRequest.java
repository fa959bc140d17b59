package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpAddress;
import java.util.Optional;

/**
 * One payment to send over STREAM (RFC 0029).
 *
 * @param destination the receiver's ILP address (from SPSP, RFC 0009)
 * @param sharedSecret the connection's 32-byte shared secret (from SPSP); not copied
 * @param amount what to send, in source units (unsigned 64-bit)
 * @param sourceAssetCode our asset's code, told to the receiver in {@code ConnectionAssetDetails}
 * @param sourceAssetScale our asset's scale, 0..255
 * @param ownAddress our ILP address, announced in {@code ConnectionNewAddress} when present
 * @param expectedAsset the send fails ("asset-mismatch") before any money moves if the receiver
 *     says another asset
 * @param firstSequence the STREAM sequence of the first Prepare: 1 for a new connection
 * @param streamId the stream the money goes on: 1 for a client-initiated new connection; even for a
 *     server-initiated stream (refunds)
 * @param openConnection true for a new connection: the first packet announces our address and
 *     asset; false for an existing connection (refund): only the rate is probed
 * @param limits the bounds of this payment
 */
public record SendRequest(
    IlpAddress destination,
    byte[] sharedSecret,
    long amount,
    String sourceAssetCode,
    int sourceAssetScale,
    Optional<IlpAddress> ownAddress,
    Optional<AssetDetails> expectedAsset,
    long firstSequence,
    long streamId,
    boolean openConnection,
    SenderLimits limits) {

  /** A new connection's payment (sequence 1, stream 1) with the default limits. */
  public static SendRequest newConnection(
      IlpAddress destination,
      byte[] sharedSecret,
      long amount,
      AssetDetails sourceAsset,
      Optional<IlpAddress> ownAddress,
      Optional<AssetDetails> expectedAsset) {
    return new SendRequest(
        destination,
        sharedSecret,
        amount,
        sourceAsset.code(),
        sourceAsset.scale(),
        ownAddress,
        expectedAsset,
        1,
        1,
        true,
        SenderLimits.defaults());
  }

  /** This request with other limits. */
  public SendRequest withLimits(SenderLimits other) {
    return new SendRequest(
        destination,
        sharedSecret,
        amount,
        sourceAssetCode,
        sourceAssetScale,
        ownAddress,
        expectedAsset,
        firstSequence,
        streamId,
        openConnection,
        other);
  }

  @Override
  public String toString() {
    // The shared secret stays out of logs.
    return "SendRequest[destination="
        + destination
        + ", amount="
        + Long.toUnsignedString(amount)
        + ", source="
        + sourceAssetCode
        + "/"
        + sourceAssetScale
        + ", streamId="
        + Long.toUnsignedString(streamId)
        + ", firstSequence="
        + Long.toUnsignedString(firstSequence)
        + ", openConnection="
        + openConnection
        + "]";
  }
}
