package dev.inlet.stream.sender;

import java.util.Objects;

/**
 * An asset as STREAM's {@code ConnectionAssetDetails} (RFC 0029 §5.3.14) and SPSP's {@code
 * asset_info} name it.
 *
 * @param code asset code, e.g. {@code USD}
 * @param scale 0..255: one unit is 10^-scale of the asset
 * @throws IllegalArgumentException if the scale is outside 0..255; NullPointerException if the code
 *     is null
 */
public record AssetDetails(String code, int scale) {
  public AssetDetails {
    Objects.requireNonNull(code, "code");
    if (scale < 0 || scale > 0xff) {
      throw new IllegalArgumentException("asset scale must be 0..255, was " + scale);
    }
  }

  @Override
  public String toString() {
    return code + "/" + scale;
  }
}
