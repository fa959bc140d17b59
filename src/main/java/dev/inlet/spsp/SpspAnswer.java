package dev.inlet.spsp;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.stream.sender.AssetDetails;
import java.util.Objects;
import java.util.Optional;

/**
 * A receiver's SPSP answer (RFC 0009 "Response"): where to send STREAM packets and the connection's
 * shared secret.
 *
 * @param destination {@code destination_account}
 * @param sharedSecret {@code shared_secret}, 32 bytes; not copied
 * @param assetInfo {@code asset_info} ({@code code}, {@code scale}) when the receiver tells it
 * @param receiptsEnabled {@code receipts_enabled} (RFC 0039), false when absent
 */
public record SpspAnswer(
    IlpAddress destination,
    byte[] sharedSecret,
    Optional<AssetDetails> assetInfo,
    boolean receiptsEnabled) {

  public SpspAnswer {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(sharedSecret, "sharedSecret");
    Objects.requireNonNull(assetInfo, "assetInfo");
  }

  @Override
  public String toString() {
    // The shared secret stays out of logs.
    return "SpspAnswer[destination="
        + destination
        + ", assetInfo="
        + assetInfo
        + ", receiptsEnabled="
        + receiptsEnabled
        + "]";
  }
}
