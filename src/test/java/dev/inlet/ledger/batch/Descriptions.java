package dev.inlet.ledger.batch;

import static dev.inlet.ledger.batch.Scenario.max;
import static dev.inlet.ledger.batch.Scenario.twoTo63;

import dev.inlet.ledger.batch.DeciderAdapter.Decided;
import dev.inlet.ledger.batch.ModelValues.BatchResult;
import dev.inlet.ledger.batch.ModelValues.Chunk;
import dev.inlet.ledger.batch.ModelValues.ConnectionRow;
import dev.inlet.ledger.batch.ModelValues.InvoiceRow;
import dev.inlet.ledger.batch.ModelValues.Packet;
import dev.inlet.ledger.batch.ModelValues.Share;
import dev.inlet.ledger.batch.ModelValues.Verdict;
import dev.inlet.ledger.batch.Scenario.AccountSpec;
import dev.inlet.ledger.batch.Scenario.ConnectionSpec;
import dev.inlet.ledger.batch.Scenario.InvoiceSpec;
import dev.inlet.ledger.batch.Scenario.World;
import java.math.BigInteger;
import java.util.List;

/** How a failure of {@link BatchRulesModelTest} shows a scenario, its packets and its verdicts. */
final class Descriptions {
  private Descriptions() {}

  /**
   * What ran: the state before the run, then each packet with the model's and decider's verdict.
   */
  static String transcript(
      World world,
      List<List<Packet>> packets,
      List<BatchResult> expectations,
      List<Decided> decisions) {
    StringBuilder s = new StringBuilder(describe(world));
    for (int b = 0; b < packets.size(); b++) {
      s.append("batch ").append(b).append(":\n");
      for (int i = 0; i < packets.get(b).size(); i++) {
        s.append("  ").append(i).append(": ").append(describe(packets.get(b).get(i)));
        if (b < expectations.size()) {
          s.append("\n     model   ").append(describe(expectations.get(b).verdicts().get(i)));
        }
        if (b < decisions.size() && i < decisions.get(b).verdicts().size()) {
          s.append("\n     decider ").append(describe(decisions.get(b).verdicts().get(i)));
        }
        s.append("\n");
      }
    }
    return s.toString();
  }

  static String describe(World world) {
    StringBuilder s = new StringBuilder("accounts:\n");
    for (AccountSpec a : world.accounts()) {
      s.append("  ")
          .append(a.id())
          .append(": received ")
          .append(amount(a.received()))
          .append(", limit ")
          .append(a.limit() == null ? "none" : amount(a.limit()))
          .append("\n");
    }
    s.append("invoices:\n");
    for (InvoiceSpec i : world.invoices()) {
      InvoiceRow r = i.row();
      s.append("  ")
          .append(i.id())
          .append(" of account ")
          .append(r.account())
          .append(": ")
          .append(amount(r.received()))
          .append(" of ")
          .append(amount(r.amount()))
          .append(r.open() ? ", open" : ", closed")
          .append(", expires at ")
          .append(r.expiresAt())
          .append("\n");
    }
    s.append("connections (batch b at time " + Scenario.time(0) + " + 10b):\n");
    for (ConnectionSpec c : world.connections()) {
      s.append("  ")
          .append(c.number())
          .append(" of account ")
          .append(c.account())
          .append(c.invoice() == 0 ? "" : " paying invoice " + c.invoice())
          .append(": ")
          .append(c.row() == null ? "new" : describe(c.row()))
          .append("\n");
    }
    return s.toString();
  }

  private static String describe(ConnectionRow r) {
    StringBuilder s = new StringBuilder("received ").append(amount(r.received()));
    if (r.closed()) {
      s.append(", closed");
    }
    s.append(", streams {");
    r.streams()
        .forEach(
            (id, st) ->
                s.append(" ")
                    .append(id)
                    .append(": ")
                    .append(amount(st.received()))
                    .append("/")
                    .append(amount(st.receiveMax()))
                    .append(st.closed() ? " closed" : ""));
    s.append(" }, credited {");
    r.credited().forEach((seq, a) -> s.append(" #").append(seq).append(": ").append(amount(a)));
    s.append(" }, data ").append(r.dataBytes()).append(" bytes [");
    r.data().values().forEach(c -> appendChunk(s, c));
    s.append(" ]");
    return s.toString();
  }

  static String describe(Packet p) {
    StringBuilder s =
        new StringBuilder("connection ")
            .append(p.connection())
            .append(" #")
            .append(p.sequence())
            .append(" amount ")
            .append(amount(p.amount()));
    if (!p.fulfill()) {
      s.append(" declined");
    }
    if (p.closeConnection()) {
      s.append(" closeConnection");
    }
    if (p.source() != null) {
      s.append(" from ").append(p.source());
    }
    s.append(" streams [");
    for (Share sh : p.streams()) {
      s.append(" ")
          .append(sh.streamId())
          .append(": ")
          .append(amount(sh.amount()))
          .append(sh.close() ? " close" : "");
    }
    s.append(" ]");
    if (!p.data().isEmpty()) {
      s.append(" data [");
      p.data().forEach(c -> appendChunk(s, c));
      s.append(" ]");
    }
    return s.toString();
  }

  static String describe(Verdict v) {
    StringBuilder s = new StringBuilder(v.outcome().toString());
    v.streams()
        .forEach(
            t ->
                s.append(" ")
                    .append(t.streamId())
                    .append(": ")
                    .append(amount(t.received()))
                    .append("/")
                    .append(amount(t.receiveMax())));
    return s.toString();
  }

  /** " stream@offset+length". */
  private static void appendChunk(StringBuilder s, Chunk c) {
    s.append(" ")
        .append(c.streamId())
        .append("@")
        .append(c.offset())
        .append("+")
        .append(c.length());
  }

  /** An amount, near 2^64-1 or 2^63 as an offset from it. */
  static String amount(BigInteger a) {
    if (a.equals(max)) {
      return "2^64-1";
    }
    if (max.subtract(a).compareTo(BigInteger.valueOf(1_000_000)) < 0) {
      return "2^64-1-" + max.subtract(a);
    }
    if (a.subtract(twoTo63).abs().compareTo(BigInteger.valueOf(1_000_000)) < 0) {
      BigInteger d = a.subtract(twoTo63);
      return "2^63" + (d.signum() == 0 ? "" : d.signum() > 0 ? "+" + d : "-" + d.negate());
    }
    return a.toString();
  }
}
