package dev.inlet.ledger.postgres;

import dev.inlet.ledger.PacketRecord.DataChunk;
import dev.inlet.ledger.batch.BatchChanges.ConnectionChange;
import dev.inlet.ledger.batch.BatchChanges.KeptData;
import dev.inlet.ledger.batch.BatchChanges.PacketCredit;
import dev.inlet.ledger.batch.BatchChanges.StreamRow;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The batch statement's four inputs as array literals of its composite types (db/V1, db/V2), one
 * text value each, quoted by {@link PgLiterals}. Amounts are unsigned 64-bit integers written as
 * decimals.
 */
final class BatchLiterals {
  private BatchLiterals() {}

  /**
   * The batch's connections as a {@code connection_change[]} literal: per connection its id,
   * account, the version the batch was decided on, amount received (unsigned decimal), packets
   * fulfilled and rejected, source address (empty: unchanged), whether it closes, StreamData bytes
   * kept, all its streams when they changed (empty: unchanged), the invoice it pays (empty: none),
   * whether it holds that invoice, and the headroom of a hold it takes (empty: none; db/V8).
   */
  static String connections(
      Map<ByteBuffer, ConnectionChange> changes, Map<ByteBuffer, List<StreamRow>> streams) {
    StringBuilder b = new StringBuilder(2 + changes.size() * 160).append('{');
    for (Map.Entry<ByteBuffer, ConnectionChange> e : changes.entrySet()) {
      ConnectionChange ch = e.getValue();
      PgLiterals.openRecord(b);
      PgLiterals.byteaField(b, e.getKey().array());
      b.append(',')
          .append(ch.accountId())
          .append(',')
          .append(ch.version())
          .append(',')
          .append(Long.toUnsignedString(ch.received()))
          .append(',')
          .append(ch.fulfilled())
          .append(',')
          .append(ch.rejected())
          .append(',');
      if (ch.sourceAddress() != null) {
        PgLiterals.textField(b, ch.sourceAddress());
      }
      b.append(',').append(ch.closes() ? 't' : 'f').append(',').append(ch.dataBytes()).append(',');
      List<StreamRow> rows = streams.get(e.getKey());
      if (rows != null) {
        PgLiterals.textField(b, streamTotals(rows));
      }
      b.append(',');
      if (ch.invoiceId() != 0) {
        b.append(ch.invoiceId());
      }
      b.append(',').append(ch.held() ? 't' : 'f').append(',');
      if (ch.headroom() != 0) {
        b.append(Long.toUnsignedString(ch.headroom()));
      }
      PgLiterals.closeRecord(b);
    }
    return PgLiterals.closeArray(b);
  }

  /**
   * A connection's streams as a {@code stream_total[]} literal, e.g. {@code {"(1,600,1000,f)"}}:
   * amounts as unsigned decimals. Only digits, commas and t/f inside each element.
   */
  static String streamTotals(List<StreamRow> rows) {
    StringBuilder b = new StringBuilder(2 + rows.size() * 48).append('{');
    for (StreamRow s : rows) {
      PgLiterals.openRecord(b);
      b.append(s.streamId())
          .append(',')
          .append(Long.toUnsignedString(s.received()))
          .append(',')
          .append(Long.toUnsignedString(s.receiveMax()))
          .append(',')
          .append(s.closed() ? 't' : 'f');
      PgLiterals.closeRecord(b);
    }
    return PgLiterals.closeArray(b);
  }

  /**
   * The credited packets as a {@code packet_credit[]} literal: connection, sequence, amount
   * (unsigned), account.
   */
  static String credits(List<PacketCredit> packets) {
    StringBuilder b = new StringBuilder(2 + packets.size() * 72).append('{');
    for (PacketCredit p : packets) {
      PgLiterals.openRecord(b);
      PgLiterals.byteaField(b, p.connectionId());
      b.append(',')
          .append(p.sequence())
          .append(',')
          .append(Long.toUnsignedString(p.amount()))
          .append(',')
          .append(p.accountId());
      PgLiterals.closeRecord(b);
    }
    return PgLiterals.closeArray(b);
  }

  /**
   * The decider's per-account credits as an {@code account_credit[]} literal: account, amount
   * (unsigned). Only digits and commas inside each element.
   */
  static String accountCredits(Map<Long, Long> credits) {
    StringBuilder b = new StringBuilder(2 + credits.size() * 40).append('{');
    for (Map.Entry<Long, Long> e : credits.entrySet()) {
      PgLiterals.openRecord(b);
      b.append(e.getKey()).append(',').append(Long.toUnsignedString(e.getValue()));
      PgLiterals.closeRecord(b);
    }
    return PgLiterals.closeArray(b);
  }

  /**
   * The StreamData to keep as a {@code data_chunk[]} literal: connection, stream, offset, bytes.
   */
  static String data(List<KeptData> kept) {
    StringBuilder b = new StringBuilder(2 + kept.size() * 96).append('{');
    for (KeptData k : kept) {
      DataChunk d = k.chunk();
      PgLiterals.openRecord(b);
      PgLiterals.byteaField(b, k.connectionId());
      b.append(',').append(d.streamId()).append(',').append(d.offset()).append(',');
      PgLiterals.byteaField(b, d.data());
      PgLiterals.closeRecord(b);
    }
    return PgLiterals.closeArray(b);
  }
}
