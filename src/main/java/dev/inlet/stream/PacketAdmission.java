package dev.inlet.stream;

/**
 * The receiver's admission check, asked for every decrypted Prepare before the ledger sees it. It
 * runs on the I/O thread for every packet: an implementation answers from memory, in nanoseconds,
 * never from the database. Limits that must hold across replicas (amounts, open connections) are
 * the ledger's and SPSP's, not this check's.
 */
@FunctionalInterface
public interface PacketAdmission {
  /** Admits everything. */
  PacketAdmission admitAll =
      (accountId, invoiceId, connectionId, sequence, sourceAddress, amount) -> null;

  /**
   * @param accountId the receiving account; 0 on an invoice's connection
   * @param invoiceId the invoice paid on an invoice's connection (its account is found from it); 0
   *     on an account's
   * @param connectionId the connection id sealed in its token (not to be kept: read only)
   * @param sequence the STREAM packet's sequence: a connector's retry of a Prepare carries the same
   *     one, and must not be counted twice against a flow rate
   * @param sourceAddress the sender's address from this packet's {@code ConnectionNewAddress}, or
   *     null when it carries none
   * @param amount the Prepare's amount, unsigned 64-bit
   * @return null to admit; {@link AdmissionReason#FLOW_RATE} or {@link
   *     AdmissionReason#SENDER_QUOTA} (money per second of the connection, the account or the
   *     sender: answered T05, temporary) or {@link AdmissionReason#SENDER_BLOCKED} (answered F99
   *     with a {@code ConnectionClose}, the connection closed)
   */
  AdmissionReason admit(
      long accountId,
      long invoiceId,
      byte[] connectionId,
      long sequence,
      String sourceAddress,
      long amount);

  /**
   * Told when the ledger refused a packet of {@code connectionId} because its queue was full
   * ({@code system-limit}, answered T03): to count it. Runs on the thread that answers; must not
   * block.
   */
  default void ledgerBusy(byte[] connectionId) {}
}
