package dev.inlet.codec.ilp;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * ILP Reject, type 14 (RFC 0027 "ILP Reject").
 *
 * @param code the error code, e.g. {@link IlpErrorCode#F99_APPLICATION_ERROR}
 * @param triggeredBy address of the party that produced the error; empty when the wire field is the
 *     empty string, which connectors send when they do not know their own address
 * @param message human-readable UTF-8 diagnostic, may be empty
 * @param data end-to-end data, at most {@link IlpPacket#maxDataBytes} bytes
 * @throws IllegalArgumentException if data is too long; NullPointerException if a field is null
 */
public record IlpReject(
    IlpErrorCode code, Optional<IlpAddress> triggeredBy, String message, byte[] data)
    implements IlpPacket {

  public IlpReject {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(triggeredBy, "triggeredBy");
    Objects.requireNonNull(message, "message");
    Packets.requireData(data);
  }

  @Override
  public IlpPacketType type() {
    return IlpPacketType.REJECT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IlpReject r
        && code.equals(r.code)
        && triggeredBy.equals(r.triggeredBy)
        && message.equals(r.message)
        && Arrays.equals(data, r.data);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(code, triggeredBy, message) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IlpReject[code="
        + code
        + ", triggeredBy="
        + triggeredBy.map(IlpAddress::value).orElse("")
        + ", message="
        + message
        + ", data="
        + Packets.describe(data)
        + "]";
  }
}
