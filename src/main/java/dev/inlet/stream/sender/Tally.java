package dev.inlet.stream.sender;

/**
 * The money of one send, in source units unless named otherwise (unsigned 64-bit): what was
 * fulfilled, is in doubt, is in flight. Its invariant, checked at every change: {@code sent +
 * inDoubt + inFlight ≤ amount} — the sender never puts more on the path than it was asked to send.
 */
final class Tally {
  private final long amount;
  private long sent;
  private long delivered;
  private long inDoubt;
  private long inFlight;
  private long inFlightExpected;
  private int packetsInFlight;

  Tally(long amount) {
    this.amount = amount;
  }

  /** What may still be put in flight. */
  long remaining() {
    return Unsigned.subtract(amount, Unsigned.add(Unsigned.add(sent, inDoubt), inFlight));
  }

  /** A packet of {@code amount}, expected to deliver {@code expected} destination units, left. */
  void launched(long packetAmount, long expected) {
    if (Unsigned.less(remaining(), packetAmount)) {
      throw new IllegalStateException("a packet beyond the amount to send");
    }
    inFlight = Unsigned.add(inFlight, packetAmount);
    inFlightExpected = Unsigned.add(inFlightExpected, expected);
    packetsInFlight++;
  }

  /** A probe or the close (no money) left. */
  void launchedEmpty() {
    packetsInFlight++;
  }

  /** A probe or the close was answered. */
  void landedEmpty() {
    packetsInFlight--;
  }

  /** A packet's answer is in (or it never left); its amount is out of flight. */
  void landed(long packetAmount, long expected) {
    inFlight = Unsigned.subtract(inFlight, packetAmount);
    inFlightExpected = Unsigned.subtract(inFlightExpected, expected);
    packetsInFlight--;
  }

  void fulfilled(long packetAmount, long deliveredAmount) {
    sent = Unsigned.add(sent, packetAmount);
    delivered = Unsigned.add(delivered, deliveredAmount);
    check();
  }

  void inDoubt(long packetAmount) {
    inDoubt = Unsigned.add(inDoubt, packetAmount);
    check();
  }

  /** Whatever is still in flight becomes in doubt: nobody will answer for it any more. */
  void abandonInFlight() {
    inDoubt = Unsigned.add(inDoubt, inFlight);
    inFlight = 0;
    inFlightExpected = 0;
    packetsInFlight = 0;
    check();
  }

  private void check() {
    remaining(); // throws if sent + inDoubt + inFlight passed the amount
  }

  long amount() {
    return amount;
  }

  long sent() {
    return sent;
  }

  long delivered() {
    return delivered;
  }

  long inDoubt() {
    return inDoubt;
  }

  /** Source units in flight. */
  long inFlight() {
    return inFlight;
  }

  /** Destination units the packets in flight should deliver. */
  long inFlightExpected() {
    return inFlightExpected;
  }

  /** Prepares awaiting their answer (or their record), probes and the close included. */
  int packetsInFlight() {
    return packetsInFlight;
  }
}
