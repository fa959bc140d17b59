package dev.inlet.ledger.postgres;

import dev.inlet.ledger.BatchWrites;
import dev.inlet.ledger.BatchWrites.ConnectionChange;
import dev.inlet.ledger.BatchWrites.StreamRow;
import dev.inlet.ledger.BatchWrites.PacketCredit;
import dev.inlet.ledger.LedgerCache;
import dev.inlet.ledger.PacketRecord.DataChunk;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Writes a decided batch in one statement (one round trip; with autocommit on, its commit too): the credited
 * packets, one transfer per credited account posting them (two entries: the connector's account debited, the
 * receiving account credited), connection totals with their streams' totals (in the connection's row, written
 * whole: db/V5), account balances and StreamData. The statement checks what the decisions relied on and aborts —
 * writing nothing — when it changed: every connection must still be at the version the decider saw (or not exist
 * yet, for version 0), and every credited account must stay within its receive limit; a credited (connection,
 * sequence) already in the ledger aborts it too. The error is {@link #stale} (or a unique violation); the caller
 * then redoes the batch under row locks.
 * Amounts travel as the signed bigint holding their unsigned 64 bits and become numeric in SQL
 * ({@code inlet_u64}, db/V3).
 */
final class BatchWrite {
  /** SQLSTATE of the statement's own abort: something it relied on changed. */
  static final String stale = "IN409";

  static final String sql = """
      WITH conn AS (
        SELECT * FROM unnest(?::bytea[], ?::bigint[], ?::bigint[], ?::bigint[], ?::int[], ?::int[], ?::text[],
                             ?::boolean[], ?::int[], ?::text[])
          AS u(id, account, version, received, fulfilled, rejected, source, close, data, streams)),
      created AS (
        INSERT INTO connections AS c (id, account_id, source_address, total_received, packets_fulfilled,
                                      packets_rejected, last_packet_at, closed_at, data_bytes, streams, version)
        SELECT id, account, source, inlet_u64(received), fulfilled, rejected, now(),
               CASE WHEN close THEN now() END, data, coalesce(streams::stream_total[], '{}'), 1
        FROM conn WHERE version = 0 ORDER BY id
        -- A row at version 0 was created by this transaction's lock step and holds nothing yet.
        ON CONFLICT (id) DO UPDATE SET source_address = excluded.source_address,
          total_received = excluded.total_received, packets_fulfilled = excluded.packets_fulfilled,
          packets_rejected = excluded.packets_rejected, last_packet_at = excluded.last_packet_at,
          closed_at = excluded.closed_at, data_bytes = excluded.data_bytes, streams = excluded.streams, version = 1
        WHERE c.version = 0
        RETURNING c.id),
      updated AS (
        UPDATE connections c SET total_received = c.total_received + inlet_u64(u.received),
          packets_fulfilled = c.packets_fulfilled + u.fulfilled, packets_rejected = c.packets_rejected + u.rejected,
          -- To the minute: most updates then change no indexed column and stay heap-only.
          last_packet_at = CASE WHEN c.last_packet_at > now() - interval '1 minute' THEN c.last_packet_at
                                ELSE now() END,
          source_address = coalesce(u.source, c.source_address),
          closed_at = CASE WHEN u.close THEN coalesce(c.closed_at, now()) ELSE c.closed_at END,
          data_bytes = c.data_bytes + u.data, streams = coalesce(u.streams::stream_total[], c.streams),
          version = c.version + 1
        FROM conn u
        WHERE c.id = u.id AND u.version > 0 AND c.version = u.version
        RETURNING c.id),
      credit AS (
        SELECT * FROM unnest(?::bytea[], ?::bigint[], ?::bigint[], ?::bigint[]) AS u(c, q, amount, account)),
      posting AS (
        SELECT account, nextval('transfers_id_seq') AS id, sum(inlet_u64(amount)) AS amount, count(*) AS packets
        FROM credit GROUP BY account),
      transfer AS (
        INSERT INTO transfers (id, amount, packets) SELECT id, amount, packets FROM posting),
      entry AS (
        INSERT INTO entries (transfer_id, account_id, amount)
        SELECT id, account, amount FROM posting UNION ALL SELECT id, ?, -amount FROM posting),
      packet AS (
        INSERT INTO packets (connection_id, sequence, amount, transfer_id)
        SELECT u.c, u.q, inlet_u64(u.amount), p.id FROM credit u JOIN posting p USING (account)),
      data AS (
        INSERT INTO stream_data (connection_id, stream_id, "offset", data)
        SELECT * FROM unnest(?::bytea[], ?::bigint[], ?::bigint[], ?::bytea[]) ON CONFLICT DO NOTHING),
      account AS (
        UPDATE accounts a SET balance = a.balance + b.amount, received = a.received + b.received
        FROM (SELECT account AS id, amount, amount AS received FROM posting UNION ALL
              SELECT ?, -sum(amount), 0 FROM posting HAVING count(*) > 0) b
        WHERE a.id = b.id AND (a.receive_limit IS NULL OR a.received + b.received <= a.receive_limit)
        RETURNING a.id, a.received, a.receive_limit)
      SELECT a.id, a.received, a.receive_limit
      FROM (SELECT inlet_expect((SELECT count(*) FROM created) + (SELECT count(*) FROM updated), ?, 'connections')
               AND inlet_expect((SELECT count(*) FROM account), ?, 'accounts') AS ok) checked
      LEFT JOIN account a ON checked.ok
      """;

  private final long connectorAccountId;

  BatchWrite(long connectorAccountId) {
    this.connectorAccountId = connectorAccountId;
  }

  /**
   * Runs the statement on {@code c} and refreshes {@code cache} with each credited account's totals.
   *
   * @throws SQLException {@link #stale} or a unique violation when the batch must be redone under locks; any
   *     other failure of the database
   */
  void execute(Connection c, BatchWrites writes, LedgerCache cache) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      bindAll(c, st, writes);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          if (rs.getObject(1) != null && rs.getLong(1) != connectorAccountId) {
            BigDecimal limit = rs.getBigDecimal(3);
            cache.account(rs.getLong(1), Uint64.fromNumeric(rs.getBigDecimal(2)),
                limit == null ? null : Uint64.fromNumeric(limit));
          }
        }
      }
    }
  }

  void bindAll(Connection c, PreparedStatement st, BatchWrites writes) throws SQLException {
    int i = bindConnections(c, st, 1, writes.connections(), writes.streams());
    i = bindPackets(c, st, i, writes.packets());
    st.setLong(i++, connectorAccountId);
    i = bindData(c, st, i, writes);
    st.setLong(i++, connectorAccountId);
    st.setInt(i++, writes.connections().size());
    int credited = writes.credits().size();
    // Each credited account and the connector's.
    st.setInt(i, credited == 0 ? 0 : credited + 1);
  }

  private static int bindConnections(Connection c, PreparedStatement st, int i,
      Map<ByteBuffer, ConnectionChange> changes, Map<ByteBuffer, List<StreamRow>> streams) throws SQLException {
    int n = changes.size();
    byte[][] ids = new byte[n][];
    Long[] accounts = new Long[n];
    Long[] versions = new Long[n];
    Long[] received = new Long[n];
    Integer[] fulfilled = new Integer[n];
    Integer[] rejected = new Integer[n];
    String[] sources = new String[n];
    Boolean[] closes = new Boolean[n];
    Integer[] data = new Integer[n];
    String[] streamTotals = new String[n];
    int k = 0;
    for (Map.Entry<ByteBuffer, ConnectionChange> e : changes.entrySet()) {
      ConnectionChange ch = e.getValue();
      ids[k] = e.getKey().array();
      accounts[k] = ch.accountId();
      versions[k] = ch.version();
      received[k] = ch.received();
      fulfilled[k] = ch.fulfilled();
      rejected[k] = ch.rejected();
      sources[k] = ch.sourceAddress();
      closes[k] = ch.close();
      data[k] = ch.dataBytes();
      List<StreamRow> rows = streams.get(e.getKey());
      streamTotals[k] = rows == null ? null : streamTotals(rows);
      k++;
    }
    st.setArray(i++, c.createArrayOf("bytea", ids));
    st.setArray(i++, c.createArrayOf("bigint", accounts));
    st.setArray(i++, c.createArrayOf("bigint", versions));
    st.setArray(i++, c.createArrayOf("bigint", received));
    st.setArray(i++, c.createArrayOf("integer", fulfilled));
    st.setArray(i++, c.createArrayOf("integer", rejected));
    st.setArray(i++, c.createArrayOf("text", sources));
    st.setArray(i++, c.createArrayOf("boolean", closes));
    st.setArray(i++, c.createArrayOf("integer", data));
    st.setArray(i++, c.createArrayOf("text", streamTotals));
    return i;
  }

  /**
   * A connection's streams as a {@code stream_total[]} literal, e.g. {@code {"(1,600,1000,f)"}}: amounts as unsigned
   * decimals. Only digits, commas and t/f: nothing to quote inside.
   */
  static String streamTotals(List<StreamRow> rows) {
    StringBuilder b = new StringBuilder(2 + rows.size() * 48).append('{');
    for (StreamRow s : rows) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append("\"(").append(s.streamId()).append(',').append(Long.toUnsignedString(s.received())).append(',')
          .append(Long.toUnsignedString(s.receiveMax())).append(',').append(s.closed() ? 't' : 'f').append(")\"");
    }
    return b.append('}').toString();
  }

  private static int bindPackets(Connection c, PreparedStatement st, int i, List<PacketCredit> packets)
      throws SQLException {
    int n = packets.size();
    byte[][] connections = new byte[n][];
    Long[] sequences = new Long[n];
    Long[] amounts = new Long[n];
    Long[] accounts = new Long[n];
    for (int k = 0; k < n; k++) {
      PacketCredit t = packets.get(k);
      connections[k] = t.connectionId();
      sequences[k] = t.sequence();
      amounts[k] = t.amount();
      accounts[k] = t.accountId();
    }
    st.setArray(i++, c.createArrayOf("bytea", connections));
    st.setArray(i++, c.createArrayOf("bigint", sequences));
    st.setArray(i++, c.createArrayOf("bigint", amounts));
    st.setArray(i++, c.createArrayOf("bigint", accounts));
    return i;
  }

  private static int bindData(Connection c, PreparedStatement st, int i, BatchWrites writes) throws SQLException {
    List<DataChunk> chunks = writes.dataChunks();
    int n = chunks.size();
    byte[][] connections = new byte[n][];
    Long[] streams = new Long[n];
    Long[] offsets = new Long[n];
    byte[][] data = new byte[n][];
    for (int k = 0; k < n; k++) {
      connections[k] = writes.dataConnections().get(k).array();
      streams[k] = chunks.get(k).streamId();
      offsets[k] = chunks.get(k).offset();
      data[k] = chunks.get(k).data();
    }
    st.setArray(i++, c.createArrayOf("bytea", connections));
    st.setArray(i++, c.createArrayOf("bigint", streams));
    st.setArray(i++, c.createArrayOf("bigint", offsets));
    st.setArray(i++, c.createArrayOf("bytea", data));
    return i;
  }
}
