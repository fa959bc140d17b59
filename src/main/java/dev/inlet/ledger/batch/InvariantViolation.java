package dev.inlet.ledger.batch;

/**
 * A rule of money that must hold where the ledger moves it did not: a bug in the ledger, never bad
 * input. The batch it was found in fails as a whole — its packets get {@link
 * dev.inlet.ledger.Outcome#UNAVAILABLE}, so no Fulfill is sent for it — and the writer logs it as
 * an error. Thrown by {@link BatchDecider} before a batch is written, and by the ledger adapter
 * when its statement refused to write the batch (the database checks the statement's postings
 * against the decided credits before the commit) or, as a last line, when what the statement
 * returned disagrees.
 */
public final class InvariantViolation extends IllegalStateException {
  /**
   * @param message which rule, and the values that broke it (amounts and ids only: no secret
   *     reaches a log)
   */
  public InvariantViolation(String message) {
    super(message);
  }

  /**
   * @param message which rule, and the values that broke it
   * @param cause where it was found (the database's refusal)
   */
  public InvariantViolation(String message, Throwable cause) {
    super(message, cause);
  }
}
