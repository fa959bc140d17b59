package dev.inlet.codec.btp;

import java.util.List;

/**
 * A request, type 6 (RFC 0023 "Message"): its entries say what is asked — authentication, an ILP
 * Prepare in an {@code ilp} entry, or another sub-protocol. Answered by a {@link BtpResponse} or a
 * {@link BtpError} with the same request id.
 *
 * @param requestId UInt32 chosen by the sender, unique among its requests in flight
 * @param protocolData the entries, copied into an unmodifiable list
 */
public record BtpMessage(long requestId, List<ProtocolData> protocolData) implements BtpPacket {
  /** Type byte of a Message. */
  public static final int typeCode = 6;

  public BtpMessage {
    BtpPacket.requireRequestId(requestId);
    protocolData = List.copyOf(protocolData);
  }

  @Override
  public int type() {
    return typeCode;
  }
}
