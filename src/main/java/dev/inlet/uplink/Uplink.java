package dev.inlet.uplink;

import dev.inlet.stream.sender.PacketLink;

/**
 * The link to the parent connector ({@code INLET_UPLINK_URL}): sends Prepares ({@link PacketLink})
 * and, over BTP, hands the parent's Prepares to the receiver ({@link #serve}).
 */
public interface Uplink extends PacketLink, AutoCloseable {
  /** Whether Prepares can be sent now. */
  enum State {
    /** Connecting or authenticating; sends fail with {@code maybeDelivered() == false}. */
    CONNECTING,
    /** Ready: sends go out. */
    UP,
    /** Not connected (between reconnects, closed, or no uplink configured). */
    DOWN
  }

  /** The link's state now. */
  State state();

  /**
   * Where Prepares that arrive over this link go (BTP: the parent sends them on the same
   * connection). Before this is called they are rejected T00. A link without incoming Prepares
   * (ILP-over-HTTP: they come to {@code POST /ilp}) ignores it.
   */
  default void serve(IncomingPrepares incoming) {}

  /** Closes the link: Prepares still in flight complete with a LinkException (in doubt). */
  @Override
  void close();
}
