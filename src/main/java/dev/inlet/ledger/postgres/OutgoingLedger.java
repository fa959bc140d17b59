package dev.inlet.ledger.postgres;

import dev.inlet.ledger.batch.InvariantViolation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable record of money that leaves (db/V4): every outgoing Prepare that carries money is
 * written before it is sent, and its answer after; a fulfilled packet posts its part of the
 * reservation (a posted transfer: the paying account debited, the connector's outgoing account
 * credited, both in one statement with the packet's new state). One thread writes whatever has
 * queued since its last commit in one statement and one commit (group commit), so thousands of
 * packets a second cost a few hundred commits. A future completes when its record is durable; it
 * completes exceptionally when the statement failed, and then nothing of that batch was written.
 *
 * <p>Reservations are made and ended by {@link Reservations} in the caller's transaction.
 */
public final class OutgoingLedger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutgoingLedger.class);

  /** Records one write takes at most. */
  private static final int maxBatch = 2_000;

  /** An answer's state as recorded (the {@code outgoing_packets.state} values). */
  public enum Answer {
    FULFILLED("fulfilled"),
    REJECTED("rejected"),
    IN_DOUBT("in_doubt");

    final String sql;

    Answer(String sql) {
      this.sql = sql;
    }
  }

  private record Op(
      long reservation,
      long sequence,
      long amount,
      long minDelivered,
      Instant expiresAt,
      Answer answer,
      long delivered,
      CompletableFuture<Void> done) {}

  static final String sql =
      """
      WITH prepared AS (
        INSERT INTO outgoing_packets (transfer_id, sequence, amount, min_delivered, expires_at)
        SELECT transfer_id, sequence, amount, min_delivered, expires_at FROM unnest(?::outgoing_prepare[])
        RETURNING 1),
      answer AS (
        SELECT a.transfer_id, a.sequence, a.state, a.delivered, o.amount
        FROM unnest(?::outgoing_answer[]) a
        JOIN outgoing_packets o ON o.transfer_id = a.transfer_id AND o.sequence = a.sequence
        WHERE o.state IN ('prepared', 'in_doubt')),
      posting AS (
        SELECT transfer_id AS pending_id, nextval('transfers_id_seq') AS id, sum(amount) AS amount,
               sum(delivered) AS delivered, count(*)::int AS packets
        FROM answer WHERE state = 'fulfilled' GROUP BY transfer_id),
      answered AS (
        UPDATE outgoing_packets o SET state = a.state, answered_at = now(),
          delivered = CASE WHEN a.state = 'fulfilled' THEN a.delivered END,
          posted_by = CASE WHEN a.state = 'fulfilled' THEN p.id END
        FROM answer a LEFT JOIN posting p ON p.pending_id = a.transfer_id
        WHERE o.transfer_id = a.transfer_id AND o.sequence = a.sequence AND o.state IN ('prepared', 'in_doubt')
        RETURNING 1),
      reservation AS (
        UPDATE transfers t SET remaining = t.remaining - p.amount, posted = t.posted + p.amount
        FROM posting p WHERE t.id = p.pending_id AND t.state = 'pending'
        RETURNING t.id, t.kind, t.account_id, p.id AS posting_id, p.amount, p.packets, p.delivered),
      transfer AS (
        INSERT INTO transfers (id, amount, packets, kind, pending_id)
        SELECT posting_id, amount, packets, kind, id FROM reservation),
      entry AS (
        INSERT INTO entries (transfer_id, account_id, amount)
        SELECT posting_id, account_id, -amount FROM reservation
        UNION ALL SELECT posting_id, ?, amount FROM reservation),
      account AS (
        UPDATE accounts a SET balance = a.balance + b.amount, reserved = a.reserved + b.reserved
        FROM (SELECT account_id AS id, -sum(amount) AS amount, -sum(amount) AS reserved FROM reservation
              GROUP BY account_id
              UNION ALL SELECT ?, sum(amount), 0 FROM reservation HAVING count(*) > 0) b
        WHERE a.id = b.id
        RETURNING a.id),
      payout AS (
        UPDATE payouts p SET sent = p.sent + r.amount, delivered = p.delivered + r.delivered
        FROM reservation r WHERE p.transfer_id = r.id)
      -- Every answer found its packet still unanswered and every posting its reservation still pending: else a
      -- concurrent resolution raced this one, and nothing is written (IN409).
      SELECT inlet_expect((SELECT count(*) FROM answered), cardinality(?::outgoing_answer[])::bigint, 'answers')
         AND inlet_expect((SELECT count(*) FROM reservation), (SELECT count(*) FROM posting), 'reservations')
      """;

  private final DataSource dataSource;
  private final long connectorOutAccountId;
  private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  /**
   * @param connectorOutAccountId the account credited with what leaves through the connector
   *     ({@link PostgresAccounts#ensureConnectorOutAccount})
   */
  public OutgoingLedger(DataSource dataSource, long connectorOutAccountId) {
    this.dataSource = dataSource;
    this.connectorOutAccountId = connectorOutAccountId;
    this.writer = new Thread(this::run, "inlet-outgoing-ledger");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Records an outgoing Prepare before it is sent.
   *
   * @param reservation the pending transfer it spends
   * @param sequence its STREAM sequence on its connection (RFC 0029 §3.2)
   * @param amount source amount, unsigned 64-bit, &gt; 0
   * @param minDelivered the least the receiver may accept, its units, unsigned 64-bit
   * @return completes when durable; exceptionally when not written (then it must not be sent)
   */
  public CompletableFuture<Void> prepared(
      long reservation, long sequence, long amount, long minDelivered, Instant expiresAt) {
    return enqueue(
        new Op(
            reservation,
            sequence,
            amount,
            minDelivered,
            expiresAt,
            null,
            0,
            new CompletableFuture<>()));
  }

  /**
   * Records the answer to a recorded Prepare; a fulfilled one posts its amount from the
   * reservation. An answer for a packet already answered is refused (the batch fails), so money is
   * posted once.
   *
   * @param delivered for {@link Answer#FULFILLED}: what arrived, the receiver's units
   */
  public CompletableFuture<Void> answered(
      long reservation, long sequence, Answer answer, long delivered) {
    return enqueue(
        new Op(reservation, sequence, 0, 0, null, answer, delivered, new CompletableFuture<>()));
  }

  private CompletableFuture<Void> enqueue(Op op) {
    if (closed) {
      op.done.completeExceptionally(new RejectedExecutionException("the ledger is closed"));
    } else {
      queue.add(op);
    }
    return op.done;
  }

  private void run() {
    List<Op> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Op first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        if (!write(batch) && batch.size() > 1) {
          // One bad record (an answer raced by an operator's resolution, say) must not fail the
          // others: each alone, so only it fails.
          for (Op op : batch) {
            write(List.of(op));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    for (Op op; (op = queue.poll()) != null; ) {
      op.done.completeExceptionally(new RejectedExecutionException("the ledger is closed"));
    }
  }

  /** Writes the batch and completes its futures; false, with none completed, when it failed. */
  private boolean write(List<Op> batch) {
    StringBuilder prepared = new StringBuilder("{");
    StringBuilder answers = new StringBuilder("{");
    for (Op op : batch) {
      if (op.answer == null) {
        PgLiterals.openRecord(prepared);
        prepared
            .append(op.reservation)
            .append(',')
            .append(op.sequence)
            .append(',')
            .append(Long.toUnsignedString(op.amount))
            .append(',')
            .append(Long.toUnsignedString(op.minDelivered))
            .append(',')
            .append(op.expiresAt);
        PgLiterals.closeRecord(prepared);
      } else {
        PgLiterals.openRecord(answers);
        answers
            .append(op.reservation)
            .append(',')
            .append(op.sequence)
            .append(',')
            .append(op.answer.sql)
            .append(',');
        if (op.answer == Answer.FULFILLED) {
          answers.append(Long.toUnsignedString(op.delivered));
        }
        PgLiterals.closeRecord(answers);
      }
    }
    String answerLiteral = PgLiterals.closeArray(answers);
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      st.setObject(1, PgLiterals.closeArray(prepared), Types.OTHER);
      st.setObject(2, answerLiteral, Types.OTHER);
      st.setLong(3, connectorOutAccountId);
      st.setLong(4, connectorOutAccountId);
      st.setObject(5, answerLiteral, Types.OTHER);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next() || !rs.getBoolean(1)) {
          throw new InvariantViolation("the outgoing ledger statement did not confirm its batch");
        }
      }
      batch.forEach(op -> op.done.complete(null));
      return true;
    } catch (SQLException | RuntimeException e) {
      if (batch.size() > 1) {
        return false;
      }
      log.warn("Outgoing ledger record failed", e);
      batch.forEach(op -> op.done.completeExceptionally(e));
      return true;
    }
  }

  /** Stops taking records, writes what was queued, and stops the writer. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
