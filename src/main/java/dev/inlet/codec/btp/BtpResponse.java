package dev.inlet.codec.btp;

import java.util.List;

/**
 * The successful answer to a {@link BtpMessage} or {@link BtpTransfer}, type 1 (RFC 0023
 * "Response"), with the request's id. An ILP Fulfill or Reject rides in an {@code ilp} entry; an
 * accepted authentication or transfer has no entries.
 *
 * @param requestId the id of the request answered
 * @param protocolData the entries, copied into an unmodifiable list
 */
public record BtpResponse(long requestId, List<ProtocolData> protocolData) implements BtpPacket {
  /** Type byte of a Response. */
  public static final int typeCode = 1;

  public BtpResponse {
    BtpPacket.requireRequestId(requestId);
    protocolData = List.copyOf(protocolData);
  }

  @Override
  public int type() {
    return typeCode;
  }
}
