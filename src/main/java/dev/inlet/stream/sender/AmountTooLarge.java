package dev.inlet.stream.sender;

import java.nio.ByteBuffer;

/**
 * Reads {@code F08 Amount Too Large} (RFC 0027 "Error Codes"): its data is {@code receivedAmount
 * UInt64 | maximumAmount UInt64}, in the units of the connector that rejected.
 */
final class AmountTooLarge {
  private static final int dataBytes = 16;

  private AmountTooLarge() {}

  /**
   * The largest source amount the path takes, learned from an F08 for a packet of {@code amount}:
   * {@code floor(amount × maximumAmount / receivedAmount)}, always below {@code amount}; half the
   * amount when the data is missing or says nothing usable.
   */
  static long maxSourceAmount(long amount, byte[] data) {
    long shrunk = amount >>> 1;
    if (data.length == dataBytes) {
      ByteBuffer b = ByteBuffer.wrap(data);
      long received = b.getLong();
      long maximum = b.getLong();
      if (received != 0 && Unsigned.less(maximum, received)) {
        shrunk =
            Unsigned.clamp(
                Unsigned.big(amount)
                    .multiply(Unsigned.big(maximum))
                    .divide(Unsigned.big(received)));
      }
    }
    return amount == 0 ? 0 : Unsigned.min(shrunk, amount - 1);
  }
}
