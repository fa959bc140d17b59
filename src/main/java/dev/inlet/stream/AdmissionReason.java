package dev.inlet.stream;

/**
 * Why a payment, a connection or a query is refused: one vocabulary for SPSP and API problem
 * documents ({@code urn:inlet:problem:<code>}), ILP Rejects and {@code ConnectionClose} messages,
 * metrics and the check endpoint. After ERC-2100's {@code canOpenStream} reasons, plus a blocked
 * sender.
 */
public enum AdmissionReason {
  /** The account's open connections, or its receive limit. */
  RECEIVER_QUOTA("receiver-quota", false),
  /** Requests or connections of one client (SPSP queries per address, API requests per key). */
  SENDER_QUOTA("sender-quota", true),
  /** Open connections of the whole service. */
  SYSTEM_LIMIT("system-limit", true),
  /** Money per second of a connection or an account, over the flow-rate window. */
  FLOW_RATE("flow-rate", true),
  /** Money one connection may take in all ({@code StreamMaxMoney}). */
  MAX_AMOUNT("max-amount", false),
  /** The sender's ILP address starts with a prefix on the account's deny list. */
  SENDER_BLOCKED("sender-blocked", false);

  private final String code;
  private final boolean temporary;

  AdmissionReason(String code, boolean temporary) {
    this.code = code;
    this.temporary = temporary;
  }

  /** The stable code: {@code receiver-quota}, {@code flow-rate}, … */
  public String code() {
    return code;
  }

  /** Whether the same request may pass later without anything being changed by an operator. */
  public boolean temporary() {
    return temporary;
  }

  /** The reason with {@code code}, or null. */
  public static AdmissionReason of(String code) {
    for (AdmissionReason r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    return null;
  }
}
