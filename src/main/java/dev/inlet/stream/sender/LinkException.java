package dev.inlet.stream.sender;

/**
 * Why a {@link PacketLink} has no Fulfill or Reject for a Prepare.
 *
 * <p>{@link #maybeDelivered()} is false only when the Prepare surely never left (the sender may
 * treat it as rejected), true when its outcome is unknown (the packet is in doubt).
 */
public final class LinkException extends Exception {
  private final boolean maybeDelivered;
  private final boolean busy;

  /**
   * @param message what failed, for logs and the send's error
   * @param maybeDelivered whether the Prepare may have reached the connector
   * @param cause the underlying failure, or null
   */
  public LinkException(String message, boolean maybeDelivered, Throwable cause) {
    this(message, maybeDelivered, false, cause);
  }

  private LinkException(String message, boolean maybeDelivered, boolean busy, Throwable cause) {
    super(message, cause);
    this.maybeDelivered = maybeDelivered;
    this.busy = busy;
  }

  /**
   * The link refused the Prepare unsent because as many as it takes are already in flight: a sender
   * waits and tries again, as for congestion, rather than counting it against the link.
   */
  public static LinkException busy(String message) {
    return new LinkException(message, false, true, null);
  }

  /** Whether the Prepare was refused unsent only because the link was full ({@link #busy}). */
  public boolean busy() {
    return busy;
  }

  /** Whether the Prepare may have reached the connector: its outcome is then unknown. */
  public boolean maybeDelivered() {
    return maybeDelivered;
  }
}
