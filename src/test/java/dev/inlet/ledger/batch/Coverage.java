package dev.inlet.ledger.batch;

import static dev.inlet.ledger.batch.Scenario.max;
import static dev.inlet.ledger.batch.Scenario.maxDataBytes;
import static dev.inlet.ledger.batch.Scenario.twoTo63;

import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.batch.DeciderAdapter.Decided;
import dev.inlet.ledger.batch.ModelValues.AccountRow;
import dev.inlet.ledger.batch.ModelValues.Packet;
import dev.inlet.ledger.batch.ModelValues.Snapshot;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How often the decider's outcomes and the amount edges came up. */
final class Coverage {
  static final List<String> edgeNames =
      List.of(
          "credit of 2^64-1",
          "credit of 2^63",
          "account reaches 2^64-1",
          "account reaches its limit exactly",
          "stream reaches 2^64-1",
          "duplicate from an earlier batch",
          "duplicate in the same batch",
          "duplicate on a closed connection",
          "zero amount fulfilled",
          "zero amount on a credited sequence fulfilled",
          "StreamData reaches the bound exactly",
          "money to a closed stream refused",
          "connection closed by a fulfilled packet",
          "invoice reaches its amount exactly");
  final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
  final Map<String, Integer> edges = new HashMap<>();

  void count(List<Packet> batch, Decided d, Snapshot before, Snapshot after) {
    Map<Integer, Set<Long>> creditedHere = new HashMap<>();
    // Connections closed when the packet came: before the batch, or by an earlier packet of it.
    Set<Integer> closed = new HashSet<>();
    before
        .connections()
        .forEach(
            (n, c) -> {
              if (c.closed()) {
                closed.add(n);
              }
            });
    for (int i = 0; i < batch.size(); i++) {
      Packet p = batch.get(i);
      Outcome o = d.verdicts().get(i).outcome();
      outcomes.merge(o, 1, Integer::sum);
      if (o == Outcome.FULFILLED && p.amount().signum() > 0) {
        creditedHere.computeIfAbsent(p.connection(), n -> new HashSet<>()).add(p.sequence());
        if (p.amount().equals(max)) {
          edge("credit of 2^64-1");
        }
        if (p.amount().equals(twoTo63)) {
          edge("credit of 2^63");
        }
      }
      if (o == Outcome.FULFILLED && p.amount().signum() == 0) {
        edge("zero amount fulfilled");
        if (before.connections().containsKey(p.connection())
                && before.connections().get(p.connection()).credited().containsKey(p.sequence())
            || creditedHere.getOrDefault(p.connection(), Set.of()).contains(p.sequence())) {
          edge("zero amount on a credited sequence fulfilled");
        }
      }
      if (o == Outcome.FULFILLED && p.closeConnection()) {
        edge("connection closed by a fulfilled packet");
      }
      if (o == Outcome.STREAM_CLOSED) {
        edge("money to a closed stream refused");
      }
      if (o == Outcome.DUPLICATE) {
        boolean here = creditedHere.getOrDefault(p.connection(), Set.of()).contains(p.sequence());
        edge(here ? "duplicate in the same batch" : "duplicate from an earlier batch");
        if (closed.contains(p.connection())) {
          edge("duplicate on a closed connection");
        }
      }
      if ((p.closeConnection() && o != Outcome.DUPLICATE) || o == Outcome.DATA_LIMIT) {
        closed.add(p.connection());
      }
    }
    for (long id : d.accountCredits().keySet()) {
      AccountRow a = after.accounts().get(id);
      if (a.received().equals(max)) {
        edge("account reaches 2^64-1");
      }
      if (a.received().equals(a.limit())) {
        edge("account reaches its limit exactly");
      }
    }
    d.streams()
        .forEach(
            (n, streams) ->
                streams
                    .values()
                    .forEach(
                        s -> {
                          if (s.received().equals(max)) {
                            edge("stream reaches 2^64-1");
                          }
                        }));
    after
        .invoices()
        .forEach(
            (id, i) -> {
              if (i.received().equals(i.amount())
                  && !i.received().equals(before.invoices().get(id).received())) {
                edge("invoice reaches its amount exactly");
              }
            });
    d.changes()
        .forEach(
            (n, w) -> {
              if (w.dataBytes() > 0 && after.connections().get(n).dataBytes() == maxDataBytes) {
                edge("StreamData reaches the bound exactly");
              }
            });
  }

  private void edge(String name) {
    edges.merge(name, 1, Integer::sum);
  }
}
