package dev.inlet.ledger.batch;

import static dev.inlet.ledger.batch.Comparisons.check;

import dev.inlet.ledger.batch.DeciderAdapter.Decided;
import dev.inlet.ledger.batch.ModelValues.ConnectionRow;
import dev.inlet.ledger.batch.ModelValues.InvoiceRow;
import dev.inlet.ledger.batch.ModelValues.Snapshot;
import dev.inlet.ledger.batch.Scenario.ConnectionSpec;
import dev.inlet.ledger.batch.Scenario.World;
import java.math.BigInteger;

/** The invoices' part of {@link Comparisons#checkInvariants}. */
final class InvoiceChecks {
  private InvoiceChecks() {}

  /**
   * No invoice overpaid (as decided, or committed), completed exactly at its amount, its received
   * as decided, and grown by exactly what its connections received in the batch.
   */
  static void checkAll(String at, World world, Snapshot before, Snapshot after, Decided decided) {
    decided
        .invoiceReceived()
        .forEach(
            (id, received) -> {
              InvoiceRow i = after.invoices().get(id);
              check(
                  received.compareTo(i.amount()) <= 0,
                  () -> at + "invoice " + id + " decided to " + received + ", overpaid: " + i);
              check(
                  received.equals(i.received()),
                  () -> at + "invoice " + id + " decided to " + received + ", committed: " + i);
            });
    after
        .invoices()
        .forEach(
            (id, i) -> {
              check(
                  i.received().compareTo(i.amount()) <= 0,
                  () -> at + "invoice " + id + " overpaid: " + i);
              check(
                  !i.open() || i.received().compareTo(i.amount()) < 0,
                  () -> at + "invoice " + id + " has its amount but is still open: " + i);
              BigInteger paid = BigInteger.ZERO;
              for (ConnectionSpec c : world.connections()) {
                if (c.invoice() == id && after.connections().containsKey(c.number())) {
                  ConnectionRow was = before.connections().get(c.number());
                  paid =
                      paid.add(after.connections().get(c.number()).received())
                          .subtract(was == null ? BigInteger.ZERO : was.received());
                }
              }
              BigInteger grew = i.received().subtract(before.invoices().get(id).received());
              BigInteger sum = paid;
              check(
                  grew.equals(sum),
                  () ->
                      at
                          + "invoice "
                          + id
                          + " grew by "
                          + grew
                          + ", its connections received "
                          + sum);
            });
  }
}
