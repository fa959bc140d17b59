package dev.inlet.ledger.batch;

import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.batch.ModelValues.AccountRow;
import dev.inlet.ledger.batch.ModelValues.Chunk;
import dev.inlet.ledger.batch.ModelValues.ConnectionRow;
import dev.inlet.ledger.batch.ModelValues.Credit;
import dev.inlet.ledger.batch.ModelValues.InvoiceRow;
import dev.inlet.ledger.batch.ModelValues.Kept;
import dev.inlet.ledger.batch.ModelValues.Packet;
import dev.inlet.ledger.batch.ModelValues.Share;
import dev.inlet.ledger.batch.ModelValues.StreamRow;
import dev.inlet.ledger.batch.ModelValues.StreamView;
import dev.inlet.ledger.batch.ModelValues.Verdict;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one place {@link BatchRulesModelTest} touches production code: it reads a batch's state from
 * the test's committed ledger the way {@code postgres.BatchTransaction} reads it under locks (the
 * batch's invoices and accounts; its connections, a new one at version 0, with their streams; the
 * credited sequences of packets it would credit; the chunks its packets carry that are kept), lets
 * {@link BatchDecider} decide the batch at the batch's time, and hands back the outcomes, {@link
 * BatchChanges} and the invoices' received totals as the test's own plain values (amounts as {@link
 * BigInteger}). Everything else in the test is production-free, so a move or rename of the batch
 * engine is ported here alone.
 *
 * <p>Production API used: {@code new BatchDecider(int)}, {@code BatchDecider.decide(List,
 * LedgerState, BatchChanges, Instant)}; {@code new LedgerState()}, {@code account}, {@code
 * invoice}, {@code invoiceReceived}, {@code connection}, {@code stream}, {@code credited}, {@code
 * data}; {@code new BatchChanges()}, {@code packets()}, {@code connections()}, {@code streams()},
 * {@code credits()}, {@code data()}; the records {@code PacketRecord} (with {@code StreamCredit},
 * {@code DataChunk}), {@code PacketOutcome} (with {@code StreamTotals}), {@code
 * BatchChanges.PacketCredit}, {@code BatchChanges.StreamRow}, {@code BatchChanges.KeptData}, the
 * getters of {@code BatchChanges.ConnectionChange}, and the enum {@link Outcome} (which the model
 * shares).
 */
final class DeciderAdapter {
  private DeciderAdapter() {}

  /** One connection's {@code ConnectionChange}. */
  record Written(
      long account,
      long invoice,
      long version,
      BigInteger received,
      int fulfilled,
      int rejected,
      String source,
      boolean closes,
      int dataBytes) {}

  /** What the decider decided and what its batch changes. */
  record Decided(
      List<Verdict> verdicts,
      List<Credit> credits,
      Map<Long, BigInteger> accountCredits,
      List<Kept> kept,
      Map<Integer, Written> changes,
      Map<Integer, TreeMap<Long, StreamRow>> streams,
      Map<Long, BigInteger> invoiceReceived) {}

  /**
   * Decides {@code batch} at {@code now} (seconds since the epoch) on the state {@code ledger}
   * holds; {@code ledger} itself is not changed.
   */
  static Decided decide(int maxDataBytes, CommittedLedger ledger, List<Packet> batch, long now) {
    LedgerState state = new LedgerState();
    Set<Integer> read = new HashSet<>();
    Set<Long> invoices = new TreeSet<>();
    List<PacketRecord> records = new ArrayList<>(batch.size());
    for (Packet p : batch) {
      if (p.invoice() != 0 && invoices.add(p.invoice())) {
        InvoiceRow i = ledger.invoice(p.invoice());
        state.invoice(
            p.invoice(),
            i.account(),
            i.amount().longValue(),
            i.received().longValue(),
            i.open(),
            Instant.ofEpochSecond(i.expiresAt()));
      }
      AccountRow a = ledger.account(p.account());
      state.account(
          p.account(), a.received().longValue(), a.limit() == null ? null : a.limit().longValue());
      byte[] id = connectionId(p.connection());
      ConnectionRow c = ledger.connection(p.connection());
      if (read.add(p.connection())) {
        if (c == null) {
          state.connection(id, 0, false, 0, 0);
        } else {
          state.connection(
              id,
              c.received().longValue(),
              c.closed(),
              c.dataBytes(),
              ledger.version(p.connection()));
          c.streams()
              .forEach(
                  (streamId, s) ->
                      state.stream(
                          id,
                          streamId,
                          s.received().longValue(),
                          s.receiveMax().longValue(),
                          s.closed()));
        }
      }
      if (c != null
          && p.fulfill()
          && p.amount().signum() != 0
          && c.credited().containsKey(p.sequence())) {
        state.credited(id, p.sequence(), c.credited().get(p.sequence()).longValue());
      }
      for (Chunk d : p.data()) {
        if (c != null && c.data().containsKey(d.key())) {
          state.data(id, d.streamId(), d.offset());
        }
      }
      records.add(record(p, id));
    }
    BatchChanges changes = new BatchChanges();
    List<PacketOutcome> outcomes =
        new BatchDecider(maxDataBytes, id -> id == 2 ? Scenario.connectionMax : -1L)
            .decide(records, state, changes, Instant.ofEpochSecond(now));
    Map<Long, BigInteger> invoiceReceived = new TreeMap<>();
    invoices.forEach(id -> invoiceReceived.put(id, unsigned(state.invoiceReceived(id))));
    return decided(outcomes, changes, invoiceReceived);
  }

  private static PacketRecord record(Packet p, byte[] id) {
    List<PacketRecord.StreamCredit> streams = new ArrayList<>();
    for (Share s : p.streams()) {
      streams.add(new PacketRecord.StreamCredit(s.streamId(), s.amount().longValue(), s.close()));
    }
    List<PacketRecord.DataChunk> data = new ArrayList<>();
    for (Chunk d : p.data()) {
      byte[] bytes = new byte[d.length()];
      Arrays.fill(bytes, d.fill());
      data.add(new PacketRecord.DataChunk(d.streamId(), d.offset(), bytes));
    }
    return new PacketRecord(
        id,
        p.account(),
        p.invoice(),
        p.source(),
        p.sequence(),
        p.amount().longValue(),
        Instant.ofEpochSecond(Scenario.time(1_000)),
        p.fulfill(),
        p.closeConnection(),
        streams,
        data);
  }

  private static Decided decided(
      List<PacketOutcome> outcomes, BatchChanges changes, Map<Long, BigInteger> invoiceReceived) {
    List<Verdict> verdicts = new ArrayList<>();
    for (PacketOutcome o : outcomes) {
      List<StreamView> views = new ArrayList<>();
      for (PacketOutcome.StreamTotals t : o.streams()) {
        views.add(new StreamView(t.streamId(), unsigned(t.received()), unsigned(t.receiveMax())));
      }
      verdicts.add(new Verdict(o.outcome(), views));
    }
    List<Credit> credits = new ArrayList<>();
    for (BatchChanges.PacketCredit c : changes.packets()) {
      credits.add(
          new Credit(
              connection(ByteBuffer.wrap(c.connectionId())),
              c.sequence(),
              unsigned(c.amount()),
              c.accountId()));
    }
    Map<Long, BigInteger> accountCredits = new LinkedHashMap<>();
    changes.credits().forEach((account, sum) -> accountCredits.put(account, unsigned(sum)));
    List<Kept> kept = new ArrayList<>();
    for (BatchChanges.KeptData d : changes.data()) {
      kept.add(new Kept(connection(ByteBuffer.wrap(d.connectionId())), chunk(d.chunk())));
    }
    Map<Integer, Written> written = new LinkedHashMap<>();
    changes
        .connections()
        .forEach(
            (id, c) ->
                written.put(
                    connection(id),
                    new Written(
                        c.accountId(),
                        c.invoiceId(),
                        c.version(),
                        unsigned(c.received()),
                        c.fulfilled(),
                        c.rejected(),
                        c.sourceAddress(),
                        c.closes(),
                        c.dataBytes())));
    Map<Integer, TreeMap<Long, StreamRow>> streams = new LinkedHashMap<>();
    changes
        .streams()
        .forEach(
            (id, rows) -> {
              TreeMap<Long, StreamRow> byId = new TreeMap<>();
              for (BatchChanges.StreamRow r : rows) {
                byId.put(
                    r.streamId(),
                    new StreamRow(unsigned(r.received()), unsigned(r.receiveMax()), r.closed()));
              }
              streams.put(connection(id), byId);
            });
    return new Decided(verdicts, credits, accountCredits, kept, written, streams, invoiceReceived);
  }

  /**
   * The chunk back as the test's value; bytes that are not all one value come back with length -1.
   */
  private static Chunk chunk(PacketRecord.DataChunk d) {
    byte fill = d.data().length == 0 ? 0 : d.data()[0];
    for (byte b : d.data()) {
      if (b != fill) {
        return new Chunk(d.streamId(), d.offset(), -1, fill);
      }
    }
    return new Chunk(d.streamId(), d.offset(), d.data().length, fill);
  }

  /** A connection's 16-byte id: its number in the last four bytes. */
  static byte[] connectionId(int number) {
    return ByteBuffer.allocate(16).putInt(12, number).array();
  }

  private static int connection(ByteBuffer id) {
    return id.getInt(id.position() + 12);
  }

  private static BigInteger unsigned(long bits) {
    return new BigInteger(Long.toUnsignedString(bits));
  }
}
