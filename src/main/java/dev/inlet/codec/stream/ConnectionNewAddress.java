package dev.inlet.codec.stream;

import dev.inlet.codec.ilp.IlpAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * ConnectionNewAddress frame, type 0x02 (RFC 0029 section 5.3.2): tells the other endpoint where to
 * send packets to the sender of the frame; receivers typically answer with {@link
 * ConnectionAssetDetails}.
 *
 * @param sourceAccount the ILP address of the endpoint that sent the frame; empty when the wire
 *     field is the empty string, which some senders (Quilt) send when they have no address to
 *     receive on
 */
public record ConnectionNewAddress(Optional<IlpAddress> sourceAccount) implements StreamFrame {
  /** Frame type id on the wire. */
  public static final int typeCode = 0x02;

  public ConnectionNewAddress {
    Objects.requireNonNull(sourceAccount, "sourceAccount");
  }

  /** A frame announcing {@code sourceAccount}. */
  public ConnectionNewAddress(IlpAddress sourceAccount) {
    this(Optional.of(sourceAccount));
  }

  @Override
  public int type() {
    return typeCode;
  }
}
