package dev.inlet.codec.stream;

import java.util.Objects;

/**
 * ConnectionAssetDetails frame, type 0x07 (RFC 0029 section 5.3.14): the asset the sender of the
 * frame denominates its amounts in. Must not change during a connection.
 *
 * @param sourceAssetCode asset code, e.g. {@code USD} (UTF-8)
 * @param sourceAssetScale asset scale 0..255: one unit is 10^-scale of the asset
 * @throws IllegalArgumentException if the scale is outside 0..255
 */
public record ConnectionAssetDetails(String sourceAssetCode, int sourceAssetScale)
    implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x07;

  public ConnectionAssetDetails {
    Objects.requireNonNull(sourceAssetCode, "sourceAssetCode");
    if (sourceAssetScale < 0 || sourceAssetScale > 0xff) {
      throw new IllegalArgumentException("asset scale must be 0..255, was " + sourceAssetScale);
    }
  }

  @Override
  public int type() {
    return typeCode;
  }
}
