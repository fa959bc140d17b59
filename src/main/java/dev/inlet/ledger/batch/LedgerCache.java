package dev.inlet.ledger.batch;

import dev.inlet.ledger.PacketRecord;
import dev.inlet.ledger.batch.LedgerState.ConnectionState;
import dev.inlet.ledger.batch.LedgerState.InvoiceState;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ledger writer's memory of committed state (accounts, invoices, connections and their streams,
 * with each connection's row version), so that most batches are decided without reading the
 * database first: the one statement that writes such a batch also checks that nothing it relied on
 * changed meanwhile (another replica, a restart), and when something did, the batch is thrown away
 * and redone under row locks. Not thread-safe: the ledger's single writer thread owns it. Bounded:
 * past {@code maxConnections} the least recently used connection (or invoice) is forgotten.
 */
public final class LedgerCache {
  private final LedgerState state;

  /**
   * @param maxConnections connections kept at most
   */
  public LedgerCache(int maxConnections) {
    this.state =
        new LedgerState(
            new LinkedHashMap<>(1024, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<ByteBuffer, ConnectionState> eldest) {
                return size() > maxConnections;
              }
            },
            new LinkedHashMap<>(1024, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<Long, InvoiceState> eldest) {
                return size() > maxConnections;
              }
            });
  }

  /**
   * The state to decide {@code packets} in without reading, or null when the batch must be read
   * under locks: an account or invoice is not cached, money comes for an invoice another connection
   * holds (the hold is released under the holder's row lock), a packet carries {@code StreamData}
   * (which chunks are kept is not cached), or a packet with money the receiver would fulfil comes
   * on a closed connection (closed in the cache or by an earlier packet of the batch). Credited
   * sequences are not cached: on an open connection a retry decided here as new is refused by the
   * writing statement (the packet's key exists) and redone under locks, but on a closed one it
   * would be decided {@code CONNECTION_CLOSED} and written, where the locked read finds it credited
   * and fulfils it again ({@link BatchDecider}). A connection not cached is taken to be new
   * (version 0); the writing statement refuses it if it exists.
   */
  public LedgerState stateFor(List<PacketRecord> packets) {
    state.credited.clear();
    state.data.clear();
    Set<ByteBuffer> closed = null;
    for (PacketRecord p : packets) {
      if (!p.data().isEmpty() || !state.accounts.containsKey(p.accountId())) {
        return null;
      }
      ByteBuffer id = ByteBuffer.wrap(p.connectionId());
      if (p.invoiceId() != 0) {
        LedgerState.InvoiceState invoice = state.invoices.get(p.invoiceId());
        if (invoice == null
            || (p.amount() != 0 && invoice.holder != null && !invoice.holder.equals(id))) {
          return null;
        }
      }
      if (p.fulfillable() && p.amount() != 0) {
        ConnectionState cached = state.connections.get(id);
        if ((cached != null && cached.closed) || (closed != null && closed.contains(id))) {
          return null;
        }
      }
      if (p.closeConnection()) {
        if (closed == null) {
          closed = new HashSet<>();
        }
        closed.add(id);
      }
    }
    for (PacketRecord p : packets) {
      state.connections.computeIfAbsent(
          ByteBuffer.wrap(p.connectionId()), k -> new ConnectionState(0, false, 0, 0));
    }
    return state;
  }

  /**
   * Records a committed batch: every connection it wrote (with its streams) is one version on, and
   * when {@code decided} is a state read under locks (not this cache's), its accounts and
   * connections replace the cached ones.
   */
  public void committed(LedgerState decided, BatchChanges changes) {
    for (ByteBuffer id : changes.connections.keySet()) {
      decided.connections.get(id).version++;
    }
    if (decided != state) {
      state.accounts.putAll(decided.accounts);
      state.invoices.putAll(decided.invoices);
      state.connections.putAll(decided.connections);
    }
  }

  /**
   * The account of a cached invoice (an invoice never changes account), or 0 when the invoice is
   * not cached.
   */
  public long accountOfInvoice(long invoiceId) {
    LedgerState.InvoiceState i = state.invoices.get(invoiceId);
    return i == null ? 0 : i.accountId;
  }

  /**
   * Refreshes a cached invoice from the database: its received amount and whether it still takes
   * money (its holder is as the committed batch decided). An invoice not cached stays so.
   */
  public void invoice(long id, long received, boolean open) {
    LedgerState.InvoiceState i = state.invoices.get(id);
    if (i != null) {
      i.received = received;
      i.open = open;
    }
  }

  /**
   * Refreshes a cached account from the database: its total credited and receive limit (or null).
   * An account not cached stays so: it is cached from a state read under locks, with its name and
   * merchant.
   */
  public void account(long id, long received, Long receiveLimit) {
    LedgerState.AccountState a = state.accounts.get(id);
    if (a != null) {
      a.received = received;
      a.receiveLimit = receiveLimit;
    }
  }

  /**
   * Forgets the accounts and connections of a batch whose writes did not commit (decided here, then
   * refused).
   */
  public void forget(List<PacketRecord> packets) {
    for (PacketRecord p : packets) {
      state.accounts.remove(p.accountId());
      state.invoices.remove(p.invoiceId());
      state.connections.remove(ByteBuffer.wrap(p.connectionId()));
    }
    state.credited.clear();
  }
}
