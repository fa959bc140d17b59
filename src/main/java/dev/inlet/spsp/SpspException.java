package dev.inlet.spsp;

/**
 * Why a payment pointer or SPSP URL gave no usable answer (RFC 0009). The slug is stable: {@link
 * #receiverUnknown} (404/410), {@link #receiverUnreachable} (no connection, timeout, 5xx), {@link
 * #receiverInvalid} (not a pointer or allowed URL, another status, wrong content type, body too
 * large, missing or invalid fields).
 */
public final class SpspException extends Exception {
  public static final String receiverUnknown = "receiver-unknown";
  public static final String receiverUnreachable = "receiver-unreachable";
  public static final String receiverInvalid = "receiver-invalid";

  private final String slug;
  private final String detail;

  /**
   * @param slug one of the slugs above
   * @param detail what went wrong, for the payer (no secrets)
   */
  public SpspException(String slug, String detail) {
    super(slug + ": " + detail);
    this.slug = slug;
    this.detail = detail;
  }

  /** The stable slug, e.g. {@code receiver-unknown}. */
  public String slug() {
    return slug;
  }

  /** What went wrong. */
  public String detail() {
    return detail;
  }
}
