package dev.inlet.codec.ilp;

import java.util.Arrays;

/**
 * ILP Fulfill, type 13 (RFC 0027 "ILP Fulfill").
 *
 * @param fulfillment 32-byte preimage of the Prepare's execution condition
 * @param data end-to-end data, at most {@link IlpPacket#maxDataBytes} bytes
 * @throws IllegalArgumentException if a field is out of range; NullPointerException if one is null
 */
public record IlpFulfill(byte[] fulfillment, byte[] data) implements IlpPacket {

  public IlpFulfill {
    Packets.requireHash(fulfillment, "fulfillment");
    Packets.requireData(data);
  }

  @Override
  public IlpPacketType type() {
    return IlpPacketType.FULFILL;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IlpFulfill f
        && Arrays.equals(fulfillment, f.fulfillment)
        && Arrays.equals(data, f.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(fulfillment) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IlpFulfill[fulfillment="
        + Packets.describe(fulfillment)
        + ", data="
        + Packets.describe(data)
        + "]";
  }
}
