package dev.inlet.stream.sender;

import dev.inlet.codec.stream.StreamReceipt;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a send ended.
 *
 * @param status {@link Status#COMPLETED} when the whole amount was fulfilled, else {@link
 *     Status#FAILED}
 * @param sent source units fulfilled (unsigned 64-bit)
 * @param delivered destination units the receiver got, as its replies said (unsigned 64-bit)
 * @param inDoubt source units whose Prepares have an unknown outcome (unsigned 64-bit)
 * @param nextSequence the first STREAM sequence not used: where another send on this connection
 *     continues
 * @param error on failure, a stable slug, ": " and a detail: {@code receiver-limit}, {@code
 *     exchange-rate}, {@code rejected}, {@code unreachable}, {@code asset-mismatch}, {@code
 *     in-doubt}, {@code timeout}, {@code log}, {@code invalid-request}
 * @param receiverAsset the receiver's asset, as it told it ({@code ConnectionAssetDetails}) or as
 *     expected when it did not
 * @param receipts the receipts the receiver sent for our stream, in the order they arrived
 */
public record SendResult(
    Status status,
    long sent,
    long delivered,
    long inDoubt,
    long nextSequence,
    Optional<String> error,
    Optional<AssetDetails> receiverAsset,
    List<StreamReceipt> receipts) {

  /** How a send ended. */
  public enum Status {
    /** The whole amount was fulfilled. */
    COMPLETED,
    /** The send stopped before; {@link SendResult#error()} says why. */
    FAILED
  }

  public SendResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(receiverAsset, "receiverAsset");
    receipts = List.copyOf(receipts);
  }

  /** The slug of the error (the text before ": "), if the send failed. */
  public Optional<String> errorSlug() {
    return error.map(e -> e.indexOf(':') < 0 ? e : e.substring(0, e.indexOf(':')));
  }
}
