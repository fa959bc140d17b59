package dev.inlet.ledger.postgres;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * The SQLSTATEs the ledger adapter acts on, in one place. {@link #staleBatch} and {@link
 * #invariantViolated} are Inlet's own (class {@code IN}, which PostgreSQL does not use), raised by
 * {@code inlet_expect} and {@code inlet_invariant} (db/V1); the others are PostgreSQL's (Appendix
 * A, "PostgreSQL Error Codes").
 */
final class SqlStates {
  private SqlStates() {}

  /**
   * The batch statement found a row changed behind the writer's cache: nothing written, redo under
   * locks.
   */
  static final String staleBatch = "IN409";

  /**
   * The batch statement found a rule of money broken — its postings disagree with the decider's
   * credits, or its entries do not sum to zero: nothing written, and a bug, so never retried (an
   * {@link dev.inlet.ledger.batch.InvariantViolation}).
   */
  static final String invariantViolated = "IN500";

  /**
   * A connection the locked path inserted (or found) was gone when it came to lock it: deleted
   * meanwhile by {@link PostgresConnectionPruner}. Raised by the adapter, not PostgreSQL; the batch
   * is redone under locks, and creates the connection again.
   */
  static final String connectionPruned = "IN410";

  /**
   * unique_violation: a (connection, sequence) credited behind the writer's cache; redo under
   * locks.
   */
  static final String uniqueViolation = "23505";

  /** serialization_failure: retried. */
  static final String serializationFailure = "40001";

  /** deadlock_detected: retried (replicas lock in id order, so this should not happen). */
  static final String deadlockDetected = "40P01";

  /** SQLSTATE class of connection exceptions (08000 and the 08xxx under it). */
  static final String connectionExceptionClass = "08";

  /**
   * Whether {@code e} says the database cannot be reached: no connection within the pool's timeout
   * (HikariCP throws {@link SQLTransientConnectionException}), or one lost. Retrying at once, or
   * packet by packet, only waits longer.
   */
  static boolean unreachable(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException
        || (state != null && state.startsWith(connectionExceptionClass));
  }

  /**
   * Whether a write under row locks that failed with {@code e} is worth another attempt: replicas
   * got in its way.
   */
  static boolean retryLocked(SQLException e) {
    return serializationFailure.equals(e.getSQLState())
        || deadlockDetected.equals(e.getSQLState())
        || connectionPruned.equals(e.getSQLState());
  }
}
