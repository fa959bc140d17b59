package dev.inlet.codec.stream;

/**
 * A STREAM frame (RFC 0029 section 5.3). On the wire each frame is {@code type UInt8 |
 * var-octet-string(contents)}; the records implementing this interface are the contents, one per
 * type the RFC defines. Frames of unknown types are skipped by the decoder and have no
 * representation here. Byte arrays in frames are not copied; treat them as immutable.
 */
public sealed interface StreamFrame
    permits ConnectionClose,
        ConnectionNewAddress,
        ConnectionMaxData,
        ConnectionDataBlocked,
        ConnectionMaxStreamId,
        ConnectionStreamIdBlocked,
        ConnectionAssetDetails,
        StreamClose,
        StreamMoney,
        StreamMaxMoney,
        StreamMoneyBlocked,
        StreamData,
        StreamMaxData,
        StreamDataBlocked,
        StreamReceipt {

  /** The frame's type id on the wire (RFC 0029 section 5.3 table), e.g. 0x11 for StreamMoney. */
  int type();
}
