package dev.inlet.ledger.postgres;

import dev.inlet.ledger.BatchDecider;
import dev.inlet.ledger.BatchWrites;
import dev.inlet.ledger.BatchWrites.ConnectionChange;
import dev.inlet.ledger.BatchWrites.StreamRow;
import dev.inlet.ledger.BatchWrites.Transfer;
import dev.inlet.ledger.LedgerState;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.DataChunk;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One batch of packets in one transaction, in a fixed number of set-based statements whatever the batch size:
 * lock the accounts, create and lock the connections (both in id order, so replicas cannot deadlock), read their
 * streams, credited sequences and kept data, let {@link BatchDecider} decide every packet, then write transfers
 * with their entries, connection and stream totals, account balances and data. The connection's row lock guards
 * its streams, transfers and data: no other transaction writes them meanwhile.
 */
final class BatchTransaction {
  private final long connectorAccountId;
  private final BatchDecider decider;

  BatchTransaction(long connectorAccountId, int maxDataBytesPerConnection) {
    this.connectorAccountId = connectorAccountId;
    this.decider = new BatchDecider(maxDataBytesPerConnection);
  }

  /** Applies {@code packets} on {@code c} (autocommit off); the caller commits. */
  List<PacketOutcome> execute(Connection c, List<PacketRecord> packets) throws SQLException {
    LedgerState state = new LedgerState();
    Map<ByteBuffer, Long> connections = new LinkedHashMap<>();
    TreeSet<Long> accounts = new TreeSet<>();
    accounts.add(connectorAccountId);
    for (PacketRecord p : packets) {
      connections.putIfAbsent(ByteBuffer.wrap(p.connectionId()), p.accountId());
      accounts.add(p.accountId());
    }
    lockAccounts(c, accounts, state);
    byte[][] ids = sortedIds(connections);
    createConnections(c, ids, connections);
    lockConnections(c, ids, state);
    readStreams(c, ids, state);
    readTransfers(c, packets, state);
    readData(c, packets, state);

    BatchWrites writes = new BatchWrites();
    List<PacketOutcome> outcomes = decider.decide(packets, state, writes);

    writeTransfers(c, writes);
    writeConnections(c, writes);
    writeStreams(c, writes);
    writeBalances(c, writes);
    writeData(c, writes);
    return outcomes;
  }

  private static void lockAccounts(Connection c, TreeSet<Long> ids, LedgerState state) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT id, received, receive_limit FROM accounts WHERE id = ANY (?) ORDER BY id FOR UPDATE")) {
      st.setArray(1, c.createArrayOf("bigint", ids.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          BigDecimal limit = rs.getBigDecimal(3);
          state.account(rs.getLong(1), Uint64.fromNumeric(rs.getBigDecimal(2)),
              limit == null ? null : Uint64.fromNumeric(limit));
        }
      }
    }
  }

  private static void createConnections(Connection c, byte[][] ids, Map<ByteBuffer, Long> accountOf)
      throws SQLException {
    Long[] accounts = new Long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      accounts[i] = accountOf.get(ByteBuffer.wrap(ids[i]));
    }
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO connections (id, account_id) SELECT u.id, u.account FROM unnest(?::bytea[], ?::bigint[]) "
            + "AS u(id, account) ORDER BY u.id ON CONFLICT (id) DO NOTHING")) {
      st.setArray(1, c.createArrayOf("bytea", ids));
      st.setArray(2, c.createArrayOf("bigint", accounts));
      st.executeUpdate();
    }
  }

  private static void lockConnections(Connection c, byte[][] ids, LedgerState state) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT id, total_received, closed_at IS NOT NULL, data_bytes FROM connections WHERE id = ANY (?) "
            + "ORDER BY id FOR UPDATE")) {
      st.setArray(1, c.createArrayOf("bytea", ids));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          state.connection(rs.getBytes(1), Uint64.fromNumeric(rs.getBigDecimal(2)), rs.getBoolean(3), rs.getInt(4));
        }
      }
    }
  }

  private static void readStreams(Connection c, byte[][] ids, LedgerState state) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT connection_id, stream_id, received, receive_max, closed FROM streams WHERE connection_id = ANY (?)")) {
      st.setArray(1, c.createArrayOf("bytea", ids));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          state.stream(rs.getBytes(1), rs.getLong(2), Uint64.fromNumeric(rs.getBigDecimal(3)),
              Uint64.fromNumeric(rs.getBigDecimal(4)), rs.getBoolean(5));
        }
      }
    }
  }

  private static void readTransfers(Connection c, List<PacketRecord> packets, LedgerState state)
      throws SQLException {
    List<byte[]> connections = new ArrayList<>();
    List<Long> sequences = new ArrayList<>();
    for (PacketRecord p : packets) {
      if (p.fulfill() && p.amount() != 0) {
        connections.add(p.connectionId());
        sequences.add(p.sequence());
      }
    }
    if (connections.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(
        // One index probe per packet (LATERAL ... LIMIT 1), never a scan of the whole table.
        "SELECT t.connection_id, t.sequence, t.amount FROM unnest(?::bytea[], ?::bigint[]) AS u(c, q)"
            + " CROSS JOIN LATERAL (SELECT * FROM transfers x WHERE x.connection_id = u.c AND x.sequence = u.q"
            + " LIMIT 1) t")) {
      st.setArray(1, c.createArrayOf("bytea", connections.toArray(new byte[0][])));
      st.setArray(2, c.createArrayOf("bigint", sequences.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          state.transfer(rs.getBytes(1), rs.getLong(2), Uint64.fromNumeric(rs.getBigDecimal(3)));
        }
      }
    }
  }

  private static void readData(Connection c, List<PacketRecord> packets, LedgerState state) throws SQLException {
    List<byte[]> connections = new ArrayList<>();
    List<Long> streams = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    for (PacketRecord p : packets) {
      for (DataChunk d : p.data()) {
        connections.add(p.connectionId());
        streams.add(d.streamId());
        offsets.add(d.offset());
      }
    }
    if (connections.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(
        "SELECT x.connection_id, x.stream_id, x.\"offset\" FROM unnest(?::bytea[], ?::bigint[], ?::bigint[])"
            + " AS u(c, s, o) CROSS JOIN LATERAL (SELECT * FROM stream_data d WHERE d.connection_id = u.c"
            + " AND d.stream_id = u.s AND d.\"offset\" = u.o LIMIT 1) x")) {
      st.setArray(1, c.createArrayOf("bytea", connections.toArray(new byte[0][])));
      st.setArray(2, c.createArrayOf("bigint", streams.toArray()));
      st.setArray(3, c.createArrayOf("bigint", offsets.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          state.data(rs.getBytes(1), rs.getLong(2), rs.getLong(3));
        }
      }
    }
  }

  /** Each transfer and its two entries: the connector's account debited, the receiving account credited. */
  private void writeTransfers(Connection c, BatchWrites writes) throws SQLException {
    List<Transfer> transfers = writes.transfers();
    if (transfers.isEmpty()) {
      return;
    }
    int n = transfers.size();
    byte[][] connections = new byte[n][];
    Long[] sequences = new Long[n];
    BigDecimal[] amounts = new BigDecimal[n];
    Long[] accounts = new Long[n];
    for (int i = 0; i < n; i++) {
      Transfer t = transfers.get(i);
      connections[i] = t.connectionId();
      sequences[i] = t.sequence();
      amounts[i] = Uint64.toNumeric(t.amount());
      accounts[i] = t.accountId();
    }
    try (PreparedStatement st = c.prepareStatement(
        "WITH u AS (SELECT * FROM unnest(?::bytea[], ?::bigint[], ?::numeric[], ?::bigint[]) AS u(c, q, a, account)),"
            + " t AS (INSERT INTO transfers (connection_id, sequence, amount) SELECT c, q, a FROM u"
            + "       RETURNING id, connection_id, sequence, amount)"
            + " INSERT INTO entries (transfer_id, account_id, amount)"
            + " SELECT t.id, u.account, t.amount FROM t JOIN u ON u.c = t.connection_id AND u.q = t.sequence"
            + " UNION ALL SELECT t.id, ?, -t.amount FROM t")) {
      st.setArray(1, c.createArrayOf("bytea", connections));
      st.setArray(2, c.createArrayOf("bigint", sequences));
      st.setArray(3, c.createArrayOf("numeric", amounts));
      st.setArray(4, c.createArrayOf("bigint", accounts));
      st.setLong(5, connectorAccountId);
      int entries = st.executeUpdate();
      if (entries != 2 * n) {
        throw new SQLException("wrote " + entries + " entries for " + n + " transfers");
      }
    }
  }

  private static void writeConnections(Connection c, BatchWrites writes) throws SQLException {
    Map<ByteBuffer, ConnectionChange> changes = writes.connections();
    int n = changes.size();
    byte[][] ids = new byte[n][];
    BigDecimal[] received = new BigDecimal[n];
    Integer[] fulfilled = new Integer[n];
    Integer[] rejected = new Integer[n];
    String[] sources = new String[n];
    Boolean[] closes = new Boolean[n];
    Integer[] dataBytes = new Integer[n];
    int i = 0;
    for (Map.Entry<ByteBuffer, ConnectionChange> e : changes.entrySet()) {
      ConnectionChange ch = e.getValue();
      ids[i] = e.getKey().array();
      received[i] = Uint64.toNumeric(ch.received());
      fulfilled[i] = ch.fulfilled();
      rejected[i] = ch.rejected();
      sources[i] = ch.sourceAddress();
      closes[i] = ch.close();
      dataBytes[i] = ch.dataBytes();
      i++;
    }
    try (PreparedStatement st = c.prepareStatement(
        "UPDATE connections c SET total_received = c.total_received + u.received,"
            + " packets_fulfilled = c.packets_fulfilled + u.fulfilled,"
            + " packets_rejected = c.packets_rejected + u.rejected, last_packet_at = now(),"
            + " source_address = coalesce(u.source, c.source_address),"
            + " closed_at = CASE WHEN u.close THEN coalesce(c.closed_at, now()) ELSE c.closed_at END,"
            + " data_bytes = c.data_bytes + u.data"
            + " FROM unnest(?::bytea[], ?::numeric[], ?::int[], ?::int[], ?::text[], ?::boolean[], ?::int[])"
            + " AS u(id, received, fulfilled, rejected, source, close, data)"
            + " WHERE c.id = u.id AND c.id = ANY (?::bytea[])")) {
      st.setArray(1, c.createArrayOf("bytea", ids));
      st.setArray(2, c.createArrayOf("numeric", received));
      st.setArray(3, c.createArrayOf("integer", fulfilled));
      st.setArray(4, c.createArrayOf("integer", rejected));
      st.setArray(5, c.createArrayOf("text", sources));
      st.setArray(6, c.createArrayOf("boolean", closes));
      st.setArray(7, c.createArrayOf("integer", dataBytes));
      // The id list again, as an index condition: the planner then probes the primary key instead of scanning.
      st.setArray(8, c.createArrayOf("bytea", ids));
      st.executeUpdate();
    }
  }

  private static void writeStreams(Connection c, BatchWrites writes) throws SQLException {
    List<StreamRow> rows = writes.streams();
    if (rows.isEmpty()) {
      return;
    }
    int n = rows.size();
    byte[][] connections = new byte[n][];
    Long[] ids = new Long[n];
    BigDecimal[] received = new BigDecimal[n];
    BigDecimal[] max = new BigDecimal[n];
    Boolean[] closed = new Boolean[n];
    for (int i = 0; i < n; i++) {
      StreamRow s = rows.get(i);
      connections[i] = s.connectionId();
      ids[i] = s.streamId();
      received[i] = Uint64.toNumeric(s.received());
      max[i] = Uint64.toNumeric(s.receiveMax());
      closed[i] = s.closed();
    }
    // Absolute values: the connection's lock makes this transaction the only writer of its streams.
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO streams (connection_id, stream_id, received, receive_max, closed)"
            + " SELECT * FROM unnest(?::bytea[], ?::bigint[], ?::numeric[], ?::numeric[], ?::boolean[])"
            + " ON CONFLICT (connection_id, stream_id) DO UPDATE SET received = excluded.received,"
            + " receive_max = excluded.receive_max, closed = excluded.closed")) {
      st.setArray(1, c.createArrayOf("bytea", connections));
      st.setArray(2, c.createArrayOf("bigint", ids));
      st.setArray(3, c.createArrayOf("numeric", received));
      st.setArray(4, c.createArrayOf("numeric", max));
      st.setArray(5, c.createArrayOf("boolean", closed));
      st.executeUpdate();
    }
  }

  private void writeBalances(Connection c, BatchWrites writes) throws SQLException {
    Map<Long, Long> credits = writes.credits();
    if (credits.isEmpty()) {
      return;
    }
    int n = credits.size() + 1;
    Long[] ids = new Long[n];
    BigDecimal[] balance = new BigDecimal[n];
    BigDecimal[] received = new BigDecimal[n];
    int i = 0;
    for (Map.Entry<Long, Long> e : credits.entrySet()) {
      ids[i] = e.getKey();
      balance[i] = Uint64.toNumeric(e.getValue());
      received[i] = balance[i];
      i++;
    }
    ids[i] = connectorAccountId;
    balance[i] = new BigDecimal(writes.paidIn().negate());
    received[i] = BigDecimal.ZERO;
    try (PreparedStatement st = c.prepareStatement(
        "UPDATE accounts a SET balance = a.balance + u.balance, received = a.received + u.received"
            + " FROM unnest(?::bigint[], ?::numeric[], ?::numeric[]) AS u(id, balance, received) WHERE a.id = u.id")) {
      st.setArray(1, c.createArrayOf("bigint", ids));
      st.setArray(2, c.createArrayOf("numeric", balance));
      st.setArray(3, c.createArrayOf("numeric", received));
      st.executeUpdate();
    }
  }

  private static void writeData(Connection c, BatchWrites writes) throws SQLException {
    List<DataChunk> chunks = writes.dataChunks();
    if (chunks.isEmpty()) {
      return;
    }
    int n = chunks.size();
    byte[][] connections = new byte[n][];
    Long[] streams = new Long[n];
    Long[] offsets = new Long[n];
    byte[][] data = new byte[n][];
    for (int i = 0; i < n; i++) {
      connections[i] = writes.dataConnections().get(i).array();
      streams[i] = chunks.get(i).streamId();
      offsets[i] = chunks.get(i).offset();
      data[i] = chunks.get(i).data();
    }
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO stream_data (connection_id, stream_id, \"offset\", data)"
            + " SELECT * FROM unnest(?::bytea[], ?::bigint[], ?::bigint[], ?::bytea[]) ON CONFLICT DO NOTHING")) {
      st.setArray(1, c.createArrayOf("bytea", connections));
      st.setArray(2, c.createArrayOf("bigint", streams));
      st.setArray(3, c.createArrayOf("bigint", offsets));
      st.setArray(4, c.createArrayOf("bytea", data));
      st.executeUpdate();
    }
  }

  private static byte[][] sortedIds(Map<ByteBuffer, Long> connections) {
    return connections.keySet().stream().sorted().map(ByteBuffer::array).toArray(byte[][]::new);
  }
}
