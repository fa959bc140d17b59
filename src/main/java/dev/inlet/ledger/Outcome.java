package dev.inlet.ledger;

/** What the ledger did with a packet. Stable codes: they appear in logs and metrics. */
public enum Outcome {
  /** Credited (or, for a zero amount, its frames recorded): send the Fulfill. */
  FULFILLED,
  /**
   * Same connection, sequence and amount as a packet credited before: fulfil again, nothing
   * credited; also on a connection closed since (the retry of a lost Fulfill).
   */
  DUPLICATE,
  /** The sequence was credited before with another amount. */
  SEQUENCE_REUSED,
  /** The connection was closed before this packet, which is not a retry of a credited one. */
  CONNECTION_CLOSED,
  /** Money for a stream the sender closed. */
  STREAM_CLOSED,
  /** The account's receive limit would be passed. */
  LIMIT_EXCEEDED,
  /**
   * The connection's most in all ({@link ConnectionLimits}, {@code max-amount}) would be passed.
   */
  CONNECTION_LIMIT,
  /**
   * The packet pays an invoice that takes no more money: completed, expired (its expiry has passed,
   * whether or not the expiry worker has marked it yet), cancelled, or unknown.
   */
  INVOICE_CLOSED,
  /** The invoice's received amount would pass its amount: it is never overpaid. */
  INVOICE_EXCEEDED,
  /** A stream, connection or account total would pass 2^64-1. */
  OVERFLOW,
  /**
   * The connection's StreamData would pass its bound: a FlowControlError, which closes the
   * connection.
   */
  DATA_LIMIT,
  /** Recorded as rejected: the receiver had already decided not to fulfil. */
  REJECTED,
  /** Too close to its expiry by the time the ledger reached it. */
  EXPIRED,
  /**
   * The ledger's queue was full ({@code system-limit}): the packet was not taken, nothing was
   * credited; the sender may try again.
   */
  BUSY,
  /**
   * The ledger could not take or commit the packet (stopped, or the database failed); nothing was
   * credited.
   */
  UNAVAILABLE;

  /** Whether the receiver answers with a Fulfill. */
  public boolean fulfils() {
    return this == FULFILLED || this == DUPLICATE;
  }
}
