package dev.inlet.codec.stream;

import dev.inlet.codec.ilp.IlpAddress;
import java.util.Objects;

/**
 * ConnectionNewAddress frame, type 0x02 (RFC 0029 section 5.3.2): tells the other endpoint where to
 * send packets to the sender of the frame; receivers typically answer with
 * {@link ConnectionAssetDetails}.
 *
 * @param sourceAccount the ILP address of the endpoint that sent the frame
 */
public record ConnectionNewAddress(IlpAddress sourceAccount) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int TYPE = 0x02;

  public ConnectionNewAddress {
    Objects.requireNonNull(sourceAccount, "sourceAccount");
  }

  @Override
  public int type() {
    return TYPE;
  }
}
