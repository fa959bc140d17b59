package dev.inlet.codec.ilp;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * ILP Prepare, type 12 (RFC 0027 "ILP Prepare").
 *
 * @param amount unsigned 64-bit amount in the smallest unit of the link's asset (values above
 *     {@link Long#MAX_VALUE} are negative longs; compare with {@link Long#compareUnsigned})
 * @param expiresAt expiry, truncated to whole milliseconds, year 0000..9999 (the wire format's
 *     range)
 * @param executionCondition SHA-256 digest of the fulfillment, 32 bytes
 * @param destination receiver's ILP address
 * @param data end-to-end data, at most {@link IlpPacket#maxDataBytes} bytes
 * @throws IllegalArgumentException if a field is out of range; NullPointerException if one is null
 */
public record IlpPrepare(
    long amount, Instant expiresAt, byte[] executionCondition, IlpAddress destination, byte[] data)
    implements IlpPacket {

  public IlpPrepare {
    Objects.requireNonNull(expiresAt, "expiresAt");
    expiresAt = IlpTimestamp.requireEncodable(expiresAt.truncatedTo(ChronoUnit.MILLIS));
    Packets.requireHash(executionCondition, "executionCondition");
    Objects.requireNonNull(destination, "destination");
    Packets.requireData(data);
  }

  @Override
  public IlpPacketType type() {
    return IlpPacketType.PREPARE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IlpPrepare p
        && amount == p.amount
        && expiresAt.equals(p.expiresAt)
        && Arrays.equals(executionCondition, p.executionCondition)
        && destination.equals(p.destination)
        && Arrays.equals(data, p.data);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(amount, expiresAt, destination);
    h = 31 * h + Arrays.hashCode(executionCondition);
    return 31 * h + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IlpPrepare[amount="
        + Long.toUnsignedString(amount)
        + ", expiresAt="
        + expiresAt
        + ", executionCondition="
        + Packets.describe(executionCondition)
        + ", destination="
        + destination
        + ", data="
        + Packets.describe(data)
        + "]";
  }
}
