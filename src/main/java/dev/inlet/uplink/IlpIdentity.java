package dev.inlet.uplink;

import dev.inlet.codec.ilp.IlpAddress;
import java.util.Objects;

/**
 * Who Inlet is on the Interledger: its ILP address (accounts receive below it) and the asset of its
 * link to the parent. From {@code INLET_ILP_ADDRESS}, {@code INLET_ASSET_CODE} and {@code
 * INLET_ASSET_SCALE}, or — with an uplink and no address set — from the parent over ILDCP (RFC
 * 0031) before Inlet is ready ({@link IldcpFetch}).
 *
 * @param address Inlet's ILP address
 * @param assetCode asset code, e.g. USD
 * @param assetScale asset scale, 0..255
 */
public record IlpIdentity(IlpAddress address, String assetCode, int assetScale) {
  public IlpIdentity {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(assetCode, "assetCode");
    if (assetScale < 0 || assetScale > 255) {
      throw new IllegalArgumentException("asset scale must be 0..255: " + assetScale);
    }
  }
}
