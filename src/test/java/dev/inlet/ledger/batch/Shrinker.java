package dev.inlet.ledger.batch;

import dev.inlet.ledger.batch.Scenario.AccountSpec;
import dev.inlet.ledger.batch.Scenario.ConnectionSpec;
import dev.inlet.ledger.batch.Scenario.InvoiceSpec;
import dev.inlet.ledger.batch.Scenario.World;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Drops batches, packets and frames while the scenario still fails; intents are re-resolved on each
 * run.
 */
final class Shrinker {
  /** Runs the shrinker may spend on one failure. */
  static final int maxShrinkRuns = 3000;

  private Shrinker() {}

  /** The smallest scenario found that still {@code fails}, {@code failing} if none is. */
  static Scenario shrink(Scenario failing, Predicate<Scenario> fails) {
    Scenario s = failing;
    int runs = 0;
    boolean smaller = true;
    while (smaller && runs < maxShrinkRuns) {
      smaller = false;
      for (Scenario candidate : smaller(s)) {
        if (++runs > maxShrinkRuns) {
          break;
        }
        if (fails.test(candidate)) {
          s = candidate;
          smaller = true;
          break;
        }
      }
    }
    return s;
  }

  /**
   * Each scenario one step smaller: a batch, a packet, a packet's frames or flags, or an unused
   * connection gone.
   */
  static List<Scenario> smaller(Scenario s) {
    World world = s.world();
    List<List<Intent>> batches = s.batches();
    List<Scenario> out = new ArrayList<>();
    for (int k = world.connections().size() - 1; k >= 0; k--) {
      int gone = k;
      if (batches.stream().flatMap(List::stream).noneMatch(i -> i.connection() == gone)) {
        out.add(withoutConnection(s, gone));
      }
    }
    List<InvoiceSpec> paid =
        world.invoices().stream()
            .filter(i -> world.connections().stream().anyMatch(c -> c.invoice() == i.id()))
            .toList();
    if (paid.size() < world.invoices().size()) {
      out.add(new Scenario(new World(world.accounts(), paid, world.connections()), batches));
    }
    List<AccountSpec> used =
        world.accounts().stream()
            .filter(
                a ->
                    world.connections().stream().anyMatch(c -> c.account() == a.id())
                        || world.invoices().stream().anyMatch(i -> i.row().account() == a.id()))
            .toList();
    if (used.size() < world.accounts().size()) {
      out.add(new Scenario(new World(used, world.invoices(), world.connections()), batches));
    }
    for (int b = 0; b < batches.size(); b++) {
      List<List<Intent>> fewer = new ArrayList<>(batches);
      fewer.remove(b);
      out.add(new Scenario(world, fewer));
    }
    for (int b = 0; b < batches.size(); b++) {
      for (int i = 0; i < batches.get(b).size(); i++) {
        List<Intent> batch = new ArrayList<>(batches.get(b));
        Intent intent = batch.remove(i);
        out.add(withBatch(s, b, batch));
        for (Intent simpler : intent.simpler()) {
          List<Intent> changed = new ArrayList<>(batches.get(b));
          changed.set(i, simpler);
          out.add(withBatch(s, b, changed));
        }
      }
    }
    return out;
  }

  /** Without the connection at {@code index}, which no intent names. */
  private static Scenario withoutConnection(Scenario s, int index) {
    List<ConnectionSpec> connections = new ArrayList<>(s.world().connections());
    connections.remove(index);
    List<List<Intent>> renumbered = new ArrayList<>();
    for (List<Intent> batch : s.batches()) {
      renumbered.add(
          batch.stream().map(i -> i.connection() < index ? i : i.on(i.connection() - 1)).toList());
    }
    return new Scenario(
        new World(s.world().accounts(), s.world().invoices(), connections), renumbered);
  }

  /** With batch {@code b} replaced, or dropped when {@code batch} is empty. */
  private static Scenario withBatch(Scenario s, int b, List<Intent> batch) {
    List<List<Intent>> changed = new ArrayList<>(s.batches());
    if (batch.isEmpty()) {
      changed.remove(b);
    } else {
      changed.set(b, batch);
    }
    return new Scenario(s.world(), changed);
  }
}
