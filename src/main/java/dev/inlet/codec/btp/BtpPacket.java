package dev.inlet.codec.btp;

import java.util.List;

/**
 * A BTP 2.0 packet (RFC 0023 "BilateralTransferProtocolPacket"): {@link BtpMessage}, {@link
 * BtpResponse}, {@link BtpError} or {@link BtpTransfer}. Every packet has a request id (UInt32,
 * held in a long as 0..2^32-1) that pairs a request with its Response or Error, and a list of
 * protocol data entries.
 */
public sealed interface BtpPacket permits BtpMessage, BtpResponse, BtpError, BtpTransfer {
  /** Largest request id: the wire field is a UInt32. */
  long maxRequestId = 0xffff_ffffL;

  /** The type byte on the wire. */
  int type();

  /** The request id, 0..{@link #maxRequestId}. */
  long requestId();

  /** The sub-protocol entries, in wire order (unmodifiable). */
  List<ProtocolData> protocolData();

  /**
   * @throws IllegalArgumentException unless {@code requestId} is a UInt32
   */
  static long requireRequestId(long requestId) {
    if (requestId < 0 || requestId > maxRequestId) {
      throw new IllegalArgumentException("BTP request id must be a UInt32: " + requestId);
    }
    return requestId;
  }
}
