package dev.inlet.codec.btp;

import java.util.List;

/**
 * A settlement notice, type 7 (RFC 0023 "Transfer"): the sender says it paid {@code amount} on the
 * underlying ledger. Answered by a {@link BtpResponse} or {@link BtpError}.
 *
 * @param requestId UInt32 chosen by the sender
 * @param amount unsigned 64-bit amount in the link's smallest unit (above {@link Long#MAX_VALUE}
 *     held as a negative long)
 * @param protocolData the entries, copied into an unmodifiable list
 */
public record BtpTransfer(long requestId, long amount, List<ProtocolData> protocolData)
    implements BtpPacket {
  /** Type byte of a Transfer. */
  public static final int typeCode = 7;

  public BtpTransfer {
    BtpPacket.requireRequestId(requestId);
    protocolData = List.copyOf(protocolData);
  }

  @Override
  public int type() {
    return typeCode;
  }

  @Override
  public String toString() {
    return "BtpTransfer[requestId="
        + requestId
        + ", amount="
        + Long.toUnsignedString(amount)
        + ", protocolData="
        + protocolData
        + "]";
  }
}
