package dev.inlet.codec.btp;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The failed answer to a request, type 2 (RFC 0023 "Error"), with the request's id. The codes are
 * ILP's error codes (RFC 0023 "Error Codes": F00 NotAcceptedError for a refused authentication, T00
 * UnreachableError, …).
 *
 * @param requestId the id of the request answered
 * @param code three ASCII characters, e.g. {@code F00}
 * @param name ASCII name of the error, e.g. {@code NotAcceptedError}
 * @param triggeredAt when the error happened (whole milliseconds, UTC GeneralizedTime on the wire)
 * @param data details (the JS plugins put UTF-8 text here; not copied)
 * @param protocolData the entries, copied into an unmodifiable list
 * @throws IllegalArgumentException if the code is not three ASCII characters or the name not ASCII
 */
public record BtpError(
    long requestId,
    String code,
    String name,
    Instant triggeredAt,
    byte[] data,
    List<ProtocolData> protocolData)
    implements BtpPacket {
  /** Type byte of an Error. */
  public static final int typeCode = 2;

  public BtpError {
    BtpPacket.requireRequestId(requestId);
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
    if (code.length() != 3 || !isAscii(code)) {
      throw new IllegalArgumentException("BTP error code must be 3 ASCII characters: " + code);
    }
    if (!isAscii(name)) {
      throw new IllegalArgumentException("BTP error name must be ASCII: " + name);
    }
    triggeredAt = Objects.requireNonNull(triggeredAt, "triggeredAt").truncatedTo(ChronoUnit.MILLIS);
    protocolData = List.copyOf(protocolData);
  }

  @Override
  public int type() {
    return typeCode;
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BtpError e
        && requestId == e.requestId
        && code.equals(e.code)
        && name.equals(e.name)
        && triggeredAt.equals(e.triggeredAt)
        && Arrays.equals(data, e.data)
        && protocolData.equals(e.protocolData);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(requestId, code, name, triggeredAt, protocolData)
        + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "BtpError[requestId="
        + requestId
        + ", code="
        + code
        + ", name="
        + name
        + ", triggeredAt="
        + triggeredAt
        + ", data="
        + (data.length <= 64 ? HexFormat.of().formatHex(data) : data.length + " bytes")
        + ", protocolData="
        + protocolData
        + "]";
  }
}
