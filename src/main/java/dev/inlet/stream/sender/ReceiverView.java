package dev.inlet.stream.sender;

import dev.inlet.codec.stream.ConnectionAssetDetails;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.StreamClose;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamReceipt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the receiver told in its replies (RFC 0029 §5.3): its asset, our stream's limit and total,
 * receipts, and whether it closed the stream or the connection.
 */
final class ReceiverView {
  private final long streamId;
  private final Optional<AssetDetails> expected;
  private final List<StreamReceipt> receipts = new ArrayList<>();
  private boolean heard;
  private AssetDetails asset;
  private String assetMismatch;
  private long receiveMax = Unsigned.max;
  private boolean limitKnown;
  private long totalReceived;
  private long deliveredHere;
  private String closed;

  ReceiverView(long streamId, Optional<AssetDetails> expected) {
    this.streamId = streamId;
    this.expected = expected;
  }

  void learn(List<StreamFrame> frames) {
    heard = true;
    for (StreamFrame frame : frames) {
      if (frame instanceof ConnectionAssetDetails d) {
        asset(new AssetDetails(d.sourceAssetCode(), d.sourceAssetScale()));
      } else if (frame instanceof StreamMaxMoney m && m.streamId() == streamId) {
        // Replies may arrive out of order; a stream's limit and total only grow.
        receiveMax = limitKnown ? Unsigned.max(receiveMax, m.receiveMax()) : m.receiveMax();
        limitKnown = true;
        totalReceived = Unsigned.max(totalReceived, m.totalReceived());
      } else if (frame instanceof StreamReceipt r && r.streamId() == streamId) {
        receipts.add(r);
      } else if (frame instanceof ConnectionClose c && closed == null) {
        closed = "ConnectionClose " + c.errorCode() + " " + c.message();
      } else if (frame instanceof StreamClose c && c.streamId() == streamId && closed == null) {
        closed = "StreamClose " + c.errorCode() + " " + c.message();
      }
    }
  }

  private void asset(AssetDetails told) {
    if (asset == null) {
      asset = told;
    }
    if (expected.isPresent() && !expected.get().equals(told) && assetMismatch == null) {
      assetMismatch =
          "asset-mismatch: the receiver's asset is " + told + ", expected " + expected.get();
    }
  }

  /** Destination units {@code delivered} by a fulfilled packet of this send. */
  void delivered(long amount) {
    deliveredHere = Unsigned.add(deliveredHere, amount);
  }

  /**
   * Destination units the stream still takes beyond {@code inFlight} (expected arrivals of packets
   * in flight); 2^64 - 1 when the receiver told no limit.
   */
  long credit(long inFlight) {
    if (!limitKnown) {
      return Unsigned.max;
    }
    long received = Unsigned.max(totalReceived, deliveredHere);
    return Unsigned.subtractOrZero(Unsigned.subtractOrZero(receiveMax, received), inFlight);
  }

  boolean limitKnown() {
    return limitKnown;
  }

  /** Whether a readable reply ever came: the receiver knows the connection. */
  boolean heard() {
    return heard;
  }

  /** The error for an asset other than the expected one, or null. */
  String assetMismatch() {
    return assetMismatch;
  }

  /** The close the receiver sent (frame, code and message), or null. */
  String closed() {
    return closed;
  }

  Optional<AssetDetails> asset() {
    return asset != null ? Optional.of(asset) : expected;
  }

  List<StreamReceipt> receipts() {
    return List.copyOf(receipts);
  }
}
