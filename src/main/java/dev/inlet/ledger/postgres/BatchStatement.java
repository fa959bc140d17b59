package dev.inlet.ledger.postgres;

import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketOutcome.StreamTotals;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.DataChunk;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Binds a batch of packets to one call of {@code inlet_apply_packets} (db/V2) and reads its outcomes back. */
final class BatchStatement {
  private static final String sql =
      "SELECT packet, outcome, stream_id, received, receive_max FROM inlet_apply_packets("
          + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final long connectorAccountId;
  private final int maxDataBytesPerConnection;

  BatchStatement(long connectorAccountId, int maxDataBytesPerConnection) {
    this.connectorAccountId = connectorAccountId;
    this.maxDataBytesPerConnection = maxDataBytesPerConnection;
  }

  List<PacketOutcome> execute(Connection c, List<PacketRecord> packets) throws SQLException {
    int n = packets.size();
    byte[][] connection = new byte[n][];
    Long[] account = new Long[n];
    String[] source = new String[n];
    Long[] sequence = new Long[n];
    BigDecimal[] amount = new BigDecimal[n];
    Boolean[] fulfill = new Boolean[n];
    Boolean[] close = new Boolean[n];
    List<Integer> sPacket = new ArrayList<>();
    List<Long> sStream = new ArrayList<>();
    List<BigDecimal> sAmount = new ArrayList<>();
    List<Boolean> sClose = new ArrayList<>();
    List<Integer> dPacket = new ArrayList<>();
    List<Long> dStream = new ArrayList<>();
    List<Long> dOffset = new ArrayList<>();
    List<byte[]> dData = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PacketRecord p = packets.get(i);
      connection[i] = p.connectionId();
      account[i] = p.accountId();
      source[i] = p.sourceAddress();
      sequence[i] = p.sequence();
      amount[i] = unsigned(p.amount());
      fulfill[i] = p.fulfill();
      close[i] = p.closeConnection();
      for (StreamCredit s : p.streams()) {
        sPacket.add(i + 1);
        sStream.add(s.streamId());
        sAmount.add(unsigned(s.amount()));
        sClose.add(s.close());
      }
      for (DataChunk d : p.data()) {
        dPacket.add(i + 1);
        dStream.add(d.streamId());
        dOffset.add(d.offset());
        dData.add(d.data());
      }
    }
    try (PreparedStatement st = c.prepareStatement(sql)) {
      int k = 1;
      st.setArray(k++, c.createArrayOf("bytea", connection));
      st.setArray(k++, c.createArrayOf("bigint", account));
      st.setArray(k++, c.createArrayOf("text", source));
      st.setArray(k++, c.createArrayOf("bigint", sequence));
      st.setArray(k++, c.createArrayOf("numeric", amount));
      st.setArray(k++, c.createArrayOf("boolean", fulfill));
      st.setArray(k++, c.createArrayOf("boolean", close));
      st.setArray(k++, c.createArrayOf("integer", sPacket.toArray()));
      st.setArray(k++, c.createArrayOf("bigint", sStream.toArray()));
      st.setArray(k++, c.createArrayOf("numeric", sAmount.toArray()));
      st.setArray(k++, c.createArrayOf("boolean", sClose.toArray()));
      st.setArray(k++, c.createArrayOf("integer", dPacket.toArray()));
      st.setArray(k++, c.createArrayOf("bigint", dStream.toArray()));
      st.setArray(k++, c.createArrayOf("bigint", dOffset.toArray()));
      st.setArray(k++, c.createArrayOf("bytea", dData.toArray(new byte[0][])));
      st.setLong(k++, connectorAccountId);
      st.setInt(k, maxDataBytesPerConnection);
      return read(st, n);
    }
  }

  private static List<PacketOutcome> read(PreparedStatement st, int n) throws SQLException {
    Outcome[] outcomes = new Outcome[n];
    List<List<StreamTotals>> streams = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      streams.add(new ArrayList<>(1));
    }
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        int i = rs.getInt(1) - 1;
        outcomes[i] = Outcome.valueOf(rs.getString(2));
        long streamId = rs.getLong(3);
        if (!rs.wasNull()) {
          streams.get(i).add(new StreamTotals(streamId, toLong(rs.getBigDecimal(4)), toLong(rs.getBigDecimal(5))));
        }
      }
    }
    List<PacketOutcome> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (outcomes[i] == null) {
        throw new SQLException("inlet_apply_packets returned no outcome for packet " + (i + 1));
      }
      result.add(new PacketOutcome(outcomes[i], List.copyOf(streams.get(i))));
    }
    return result;
  }

  static BigDecimal unsigned(long amount) {
    return amount >= 0 ? BigDecimal.valueOf(amount) : new BigDecimal(Long.toUnsignedString(amount));
  }

  /** A uint64 column value as the long holding its unsigned bits. */
  static long toLong(BigDecimal value) {
    return value.toBigIntegerExact().longValue();
  }
}
