package dev.inlet.ledger.postgres;

import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.PacketRecord.DataChunk;
import dev.inlet.ledger.batch.BatchChanges;
import dev.inlet.ledger.batch.BatchDecider;
import dev.inlet.ledger.batch.InvariantViolation;
import dev.inlet.ledger.batch.LedgerState;
import dev.inlet.ledger.postgres.BatchStatement.AccountTotals;
import dev.inlet.ledger.postgres.BatchStatement.InvoiceTotals;
import dev.inlet.ledger.postgres.BatchStatement.Totals;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One batch of packets read and decided under row locks, in a fixed number of set-based statements
 * whatever the batch size: lock the invoices and the accounts, create and lock the connections
 * (each in id order, so replicas cannot deadlock) and read them with their streams, read credited
 * sequences and kept data, let {@link BatchDecider} decide every packet, then write it all with
 * {@link BatchStatement}. The connection's row lock guards its streams, credited packets and data:
 * no other transaction writes them meanwhile. This is the ledger's safe path: for batches {@link
 * LedgerCache} cannot decide alone, and for those whose cached decision the database refused.
 */
final class BatchTransaction {
  private final long connectorAccountId;
  private final BatchDecider decider;

  BatchTransaction(long connectorAccountId, BatchDecider decider) {
    this.connectorAccountId = connectorAccountId;
    this.decider = decider;
  }

  /**
   * Locks and reads what {@code packets} touch on {@code c} (autocommit off) and decides them; the
   * caller writes {@code changes} and commits.
   *
   * @param state empty: filled with what the batch read and then decided
   * @param changes empty: filled with what the batch changes
   */
  List<PacketOutcome> lockAndDecide(
      Connection c,
      List<PacketRecord> packets,
      LedgerState state,
      BatchChanges changes,
      Instant now)
      throws SQLException {
    Map<ByteBuffer, PacketRecord> connections = new LinkedHashMap<>();
    TreeSet<Long> accounts = new TreeSet<>();
    TreeSet<Long> invoices = new TreeSet<>();
    accounts.add(connectorAccountId);
    for (PacketRecord p : packets) {
      connections.putIfAbsent(ByteBuffer.wrap(p.connectionId()), p);
      accounts.add(p.accountId());
      if (p.invoiceId() != 0) {
        invoices.add(p.invoiceId());
      }
    }
    // Invoices first: cancelling and expiring lock an invoice, then its holder's row, as here.
    List<Hold> holds = lockInvoices(c, invoices, state);
    lockAccounts(c, accounts, state);
    byte[][] ids = sortedIds(connections);
    createConnections(c, ids, connections);
    // A holder that sends nothing in this batch is locked too: the batch may release its hold.
    TreeSet<ByteBuffer> locked = new TreeSet<>(connections.keySet());
    for (Hold h : holds) {
      locked.add(ByteBuffer.wrap(h.holder()));
    }
    if (lockConnections(c, locked.stream().map(ByteBuffer::array).toArray(byte[][]::new), state)
        < locked.size()) {
      // The insert found a row that was deleted before the lock (PostgresConnectionPruner): redone,
      // the insert creates it. Not locked here out of id order, which could deadlock a replica.
      throw new SQLException(
          "a connection of the batch was pruned while the batch locked it",
          SqlStates.connectionPruned);
    }
    for (Hold h : holds) {
      // With its holder's row locked too, what a held invoice has received in all is known: the
      // row's amount and the holder's credits since its base (db/V8).
      state.invoiceHeldCredits(h.invoiceId(), state.connectionReceived(h.holder()) - h.base());
    }
    readCredited(c, packets, state);
    readData(c, packets, state);

    return decider.decide(packets, state, changes, now);
  }

  /**
   * Under the batch's row locks nobody else credits its accounts: each credited account's total in
   * the database after the statement is exactly the total the decider reached from the locked read.
   *
   * @throws InvariantViolation when one differs
   */
  void checkReceived(LedgerState state, Totals totals) {
    for (InvoiceTotals i : totals.invoices()) {
      Long decided = state.invoiceReceived(i.id());
      if (decided == null || decided != i.received()) {
        throw new InvariantViolation(
            "invoice "
                + i.id()
                + " received "
                + Long.toUnsignedString(i.received())
                + " in the database but "
                + (decided == null ? "nothing" : Long.toUnsignedString(decided))
                + " as decided under locks");
      }
    }
    for (AccountTotals a : totals.accounts()) {
      if (a.id() != connectorAccountId && state.received(a.id()) != a.received()) {
        throw new InvariantViolation(
            "account "
                + a.id()
                + " received "
                + Long.toUnsignedString(a.received())
                + " in the database but "
                + Long.toUnsignedString(state.received(a.id()))
                + " as decided under locks");
      }
    }
  }

  private static void lockAccounts(Connection c, TreeSet<Long> ids, LedgerState state)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT id, received, receive_limit, name, merchant_id FROM accounts WHERE id = ANY (?)"
                + " ORDER BY id FOR UPDATE")) {
      st.setArray(1, c.createArrayOf("bigint", ids.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          BigDecimal limit = rs.getBigDecimal(3);
          state.account(
              rs.getLong(1),
              Uint64.fromNumeric(rs.getBigDecimal(2)),
              limit == null ? null : Uint64.fromNumeric(limit),
              rs.getString(4),
              rs.getLong(5));
        }
      }
    }
  }

  /** A held invoice as locked: its holder, and the holder's total when the hold began. */
  private record Hold(long invoiceId, byte[] holder, long base) {}

  /**
   * Locks the batch's invoices in id order and reads them, a held one with its row's received only.
   *
   * @return the held ones
   */
  private static List<Hold> lockInvoices(Connection c, TreeSet<Long> ids, LedgerState state)
      throws SQLException {
    List<Hold> holds = new ArrayList<>();
    if (ids.isEmpty()) {
      return holds;
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT id, account_id, amount, received, state IN ('pending', 'processing'), expires_at,"
                + " holder, holder_base, shared, public_id FROM invoices WHERE id = ANY (?) ORDER BY id"
                + " FOR UPDATE")) {
      st.setArray(1, c.createArrayOf("bigint", ids.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          byte[] holder = rs.getBytes(7);
          state.invoice(
              rs.getLong(1),
              rs.getLong(2),
              Uint64.fromNumeric(rs.getBigDecimal(3)),
              Uint64.fromNumeric(rs.getBigDecimal(4)),
              rs.getBoolean(5),
              rs.getTimestamp(6).toInstant(),
              holder,
              rs.getBoolean(9),
              rs.getString(10));
          if (holder != null) {
            holds.add(new Hold(rs.getLong(1), holder, Uint64.fromNumeric(rs.getBigDecimal(8))));
          }
        }
      }
    }
    return holds;
  }

  private static void createConnections(
      Connection c, byte[][] ids, Map<ByteBuffer, PacketRecord> first) throws SQLException {
    Long[] accounts = new Long[ids.length];
    Long[] invoices = new Long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      PacketRecord p = first.get(ByteBuffer.wrap(ids[i]));
      accounts[i] = p.accountId();
      invoices[i] = p.invoiceId() == 0 ? null : p.invoiceId();
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO connections (id, account_id, invoice_id) SELECT u.id, u.account, u.invoice "
                + "FROM unnest(?::bytea[], ?::bigint[], ?::bigint[]) AS u(id, account, invoice) ORDER BY u.id "
                + "ON CONFLICT (id) DO NOTHING")) {
      st.setArray(1, c.createArrayOf("bytea", ids));
      st.setArray(2, c.createArrayOf("bigint", accounts));
      st.setArray(3, c.createArrayOf("bigint", invoices));
      st.executeUpdate();
    }
  }

  /**
   * Locks the batch's connections in id order and reads each with its streams (in its row, db/V1):
   * one row per stream, or one with no stream for a connection that has none.
   *
   * @return connections found
   */
  private static int lockConnections(Connection c, byte[][] ids, LedgerState state)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT c.id, c.total_received, c.closed_at IS NOT NULL, c.data_bytes, c.version, s.id, s.received, "
                + "s.receive_max, s.closed, c.source_address FROM connections c "
                + "LEFT JOIN LATERAL unnest(c.streams) s ON true "
                + "WHERE c.id = ANY (?) ORDER BY c.id FOR UPDATE OF c")) {
      st.setArray(1, c.createArrayOf("bytea", ids));
      try (ResultSet rs = st.executeQuery()) {
        byte[] last = null;
        int found = 0;
        while (rs.next()) {
          byte[] id = rs.getBytes(1);
          if (!Arrays.equals(id, last)) {
            found++;
            state.connection(
                id,
                Uint64.fromNumeric(rs.getBigDecimal(2)),
                rs.getBoolean(3),
                rs.getInt(4),
                rs.getLong(5),
                rs.getString(10));
            last = id;
          }
          if (rs.getObject(6) != null) {
            state.stream(
                id,
                rs.getLong(6),
                Uint64.fromNumeric(rs.getBigDecimal(7)),
                Uint64.fromNumeric(rs.getBigDecimal(8)),
                rs.getBoolean(9));
          }
        }
        return found;
      }
    }
  }

  private static void readCredited(Connection c, List<PacketRecord> packets, LedgerState state)
      throws SQLException {
    List<byte[]> connections = new ArrayList<>();
    List<Long> sequences = new ArrayList<>();
    for (PacketRecord p : packets) {
      if (p.fulfillable() && p.amount() != 0) {
        connections.add(p.connectionId());
        sequences.add(p.sequence());
      }
    }
    if (connections.isEmpty()) {
      return;
    }
    try (PreparedStatement st =
        c.prepareStatement(
            // One primary-key probe per packet (LATERAL), never a scan of the whole table.
            "SELECT x.connection_id, x.sequence, x.amount FROM unnest(?::bytea[], ?::bigint[]) AS u(c, q)"
                + " CROSS JOIN LATERAL (SELECT * FROM packets p WHERE p.connection_id = u.c AND p.sequence = u.q) x")) {
      st.setArray(1, c.createArrayOf("bytea", connections.toArray(new byte[0][])));
      st.setArray(2, c.createArrayOf("bigint", sequences.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          state.credited(rs.getBytes(1), rs.getLong(2), Uint64.fromNumeric(rs.getBigDecimal(3)));
        }
      }
    }
  }

  private static void readData(Connection c, List<PacketRecord> packets, LedgerState state)
      throws SQLException {
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
    try (PreparedStatement st =
        c.prepareStatement(
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

  private static byte[][] sortedIds(Map<ByteBuffer, PacketRecord> connections) {
    return connections.keySet().stream().sorted().map(ByteBuffer::array).toArray(byte[][]::new);
  }
}
