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
  PacketAdmission admitAll = (accountId, connectionId, sequence, sourceAddress, amount) -> null;

  /**
   * @param accountId the receiving account; 0 on an invoice's connection (its account is the
   *     ledger's to find)
   * @param connectionId the connection id sealed in its token (not to be kept: read only)
   * @param sequence the STREAM packet's sequence: a connector's retry of a Prepare carries the same
   *     one, and must not be counted twice against a flow rate
   * @param sourceAddress the sender's address from this packet's {@code ConnectionNewAddress}, or
   *     null when it carries none
   * @param amount the Prepare's amount, unsigned 64-bit
   * @return null to admit; {@link AdmissionReason#FLOW_RATE} (answered T05) or {@link
   *     AdmissionReason#SENDER_BLOCKED} (answered F99 with a {@code ConnectionClose}, the
   *     connection closed)
   */
  AdmissionReason admit(
      long accountId, byte[] connectionId, long sequence, String sourceAddress, long amount);
}
