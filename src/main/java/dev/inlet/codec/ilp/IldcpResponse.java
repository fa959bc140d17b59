package dev.inlet.codec.ilp;

import java.util.Objects;

/**
 * What a parent connector tells its child over ILDCP (RFC 0031 "Response").
 *
 * @param clientAddress the child's ILP address
 * @param assetScale the link's asset scale, 0..255
 * @param assetCode the link's asset code, e.g. {@code USD} (may be empty if the parent says so)
 * @throws IllegalArgumentException if the scale is not 0..255
 */
public record IldcpResponse(IlpAddress clientAddress, int assetScale, String assetCode) {
  public IldcpResponse {
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(assetCode, "assetCode");
    if (assetScale < 0 || assetScale > 255) {
      throw new IllegalArgumentException("asset scale must be 0..255: " + assetScale);
    }
  }
}
