package dev.inlet.stream.sender;

/**
 * Why a {@link PacketLink} has no Fulfill or Reject for a Prepare.
 *
 * <p>{@link #maybeDelivered()} is false only when the Prepare surely never left (the sender may
 * treat it as rejected), true when its outcome is unknown (the packet is in doubt).
 */
public final class LinkException extends Exception {
  private final boolean maybeDelivered;

  /**
   * @param message what failed, for logs and the send's error
   * @param maybeDelivered whether the Prepare may have reached the connector
   * @param cause the underlying failure, or null
   */
  public LinkException(String message, boolean maybeDelivered, Throwable cause) {
    super(message, cause);
    this.maybeDelivered = maybeDelivered;
  }

  /** Whether the Prepare may have reached the connector: its outcome is then unknown. */
  public boolean maybeDelivered() {
    return maybeDelivered;
  }
}
