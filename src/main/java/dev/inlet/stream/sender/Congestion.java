package dev.inlet.stream.sender;

import java.time.Duration;

/**
 * How much the sender puts on the path at once, additive increase and multiplicative decrease:
 * {@code T04 Insufficient Liquidity} halves the Prepares in flight and the packet amount, each
 * fulfilled packet grows them back; temporary errors wait an exponentially growing backoff.
 */
final class Congestion {
  /** First wait after a temporary error; doubles with each one in a row. */
  static final Duration baseBackoff = Duration.ofMillis(50);

  /** Longest wait between retries. */
  static final Duration maxBackoff = Duration.ofSeconds(5);

  private final int maxInFlight;
  private int window;
  private long packetCap = Unsigned.max;
  private int temporaryInARow;

  Congestion(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    this.window = maxInFlight;
  }

  /** How many Prepares may await an answer now. */
  int window() {
    return window;
  }

  /** The largest packet amount the path took lately (unsigned 64-bit). */
  long packetCap() {
    return packetCap;
  }

  /** Temporary errors since the last fulfilled packet. */
  int temporaryInARow() {
    return temporaryInARow;
  }

  void fulfilled() {
    temporaryInARow = 0;
    window = Math.min(maxInFlight, window + 1);
    if (packetCap != Unsigned.max) {
      // Back towards the amounts that worked, a quarter at a time.
      packetCap =
          Unsigned.add(
              packetCap,
              Unsigned.min(Long.divideUnsigned(packetCap, 4) + 1, Unsigned.max - packetCap));
    }
  }

  /** T04 for a packet of {@code amount}: half the window, half that amount. */
  Duration insufficientLiquidity(long amount) {
    window = Math.max(1, window / 2);
    packetCap = Unsigned.max(1, Unsigned.min(packetCap, amount >>> 1));
    return temporary();
  }

  /** Any other temporary failure: the wait before trying again. */
  Duration temporary() {
    temporaryInARow++;
    int doublings = Math.min(temporaryInARow - 1, 16);
    Duration wait = baseBackoff.multipliedBy(1L << doublings);
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
