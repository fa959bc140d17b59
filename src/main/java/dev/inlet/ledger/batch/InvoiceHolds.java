package dev.inlet.ledger.batch;

import dev.inlet.ledger.batch.BatchChanges.ConnectionChange;
import dev.inlet.ledger.batch.LedgerState.ConnectionState;
import dev.inlet.ledger.batch.LedgerState.InvoiceState;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The decider's last step on a batch (db/V8): which connection holds each invoice, so that a lone
 * payer's credits stay in its own row and the invoice's row is written only when a hold is taken or
 * released.
 */
final class InvoiceHolds {
  private InvoiceHolds() {}

  /**
   * Who holds each invoice the batch credits (db/V8), and so which invoice rows the batch writes.
   * The invoice's holder, alone in paying it and not completing it, keeps its credit in its own row
   * ({@link ConnectionChange#held}). Otherwise a hold is released: the holder's row is written too
   * (at its version, with nothing credited, when it sent nothing in this batch; the state holds it
   * then, as {@link LedgerCache} leaves such a batch to the locked read), and the invoice is shared
   * from then on. An invoice neither held nor shared, paid by one connection and not completed,
   * becomes that connection's, with what it has left as the connection's headroom.
   *
   * @throws InvariantViolation when a hold is released and the state lacks its holder
   */
  static void assign(LedgerState state, BatchChanges changes) {
    Map<Long, ByteBuffer> payers = null;
    Set<Long> several = null;
    for (Map.Entry<ByteBuffer, ConnectionChange> e : changes.connections.entrySet()) {
      ConnectionChange ch = e.getValue();
      if (ch.invoiceId() != 0 && ch.received != 0) {
        if (payers == null) {
          payers = new HashMap<>();
          several = new HashSet<>();
        }
        if (payers.putIfAbsent(ch.invoiceId(), e.getKey()) != null) {
          several.add(ch.invoiceId());
        }
      }
    }
    if (payers != null) {
      for (Map.Entry<Long, ByteBuffer> e : payers.entrySet()) {
        holdOrRelease(state, changes, e.getKey(), e.getValue(), !several.contains(e.getKey()));
      }
    }
    // A holder keeps its hold through a batch that credits it nothing (a zero-amount or refused
    // packet) as through one that credits it: only a release or a new hold rewrites its cap.
    for (Map.Entry<ByteBuffer, ConnectionChange> e : changes.connections.entrySet()) {
      ConnectionChange ch = e.getValue();
      if (ch.invoiceId() != 0 && ch.headroom == 0) {
        InvoiceState invoice = state.invoices.get(ch.invoiceId());
        ch.held = invoice != null && e.getKey().equals(invoice.holder);
      }
    }
  }

  /**
   * The hold on an invoice {@code payer} credits in the batch ({@code alone}: no other connection
   * does): kept when the payer holds it and does not complete it, else released, or taken by the
   * payer.
   */
  private static void holdOrRelease(
      LedgerState state, BatchChanges changes, long invoiceId, ByteBuffer payer, boolean alone) {
    InvoiceState invoice = state.invoices.get(invoiceId);
    boolean completes = invoice.received == invoice.amount;
    if (invoice.holder != null) {
      if (alone && !completes && invoice.holder.equals(payer)) {
        return;
      }
      if (!changes.connections.containsKey(invoice.holder)) {
        ConnectionState holder = state.connections.get(invoice.holder);
        if (holder == null) {
          throw new InvariantViolation("the batch releases an invoice's hold without its holder");
        }
        changes.connections.put(
            invoice.holder, new ConnectionChange(invoice.accountId, invoiceId, holder.version));
      }
      invoice.holder = null;
      invoice.shared = true;
    } else if (alone && !completes && !invoice.shared) {
      changes.connections.get(payer).headroom = invoice.remaining();
      invoice.holder = payer;
    }
  }
}
