package dev.inlet.load;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pre-built ILP Prepares, encoded, each in its whole {@code POST /ilp} request, grouped in units: a
 * unit is one Prepare, or a churn connection's Prepares sent one after the other (pay, then close).
 * Units are claimed in order by whoever sends next.
 */
final class Pool {
  /** The requests: head, then the encoded Prepare from {@code bodyStart[p]} to the end. */
  final byte[][] requests;

  final int[] bodyStart;

  /** Each Prepare's amount; 0 only for a churn connection's closing Prepare. */
  final int[] amounts;

  /** Unit u is Prepares {@code [unitStart[u], unitStart[u + 1])}. */
  final int[] unitStart;

  /** Units that open and close a churn connection. */
  final int churnUnits;

  private final AtomicInteger cursor = new AtomicInteger();

  Pool(byte[][] requests, int[] bodyStart, int[] amounts, int[] unitStart, int churnUnits) {
    this.requests = requests;
    this.bodyStart = bodyStart;
    this.amounts = amounts;
    this.unitStart = unitStart;
    this.churnUnits = churnUnits;
  }

  int units() {
    return unitStart.length - 1;
  }

  int packets() {
    return requests.length;
  }

  int bodyLength(int p) {
    return requests[p].length - bodyStart[p];
  }

  /** Claims the next unit below {@code limit}, or returns -1 when there is none. */
  int claim(int limit) {
    while (true) {
      int u = cursor.get();
      if (u >= limit || u >= units()) {
        return -1;
      }
      if (cursor.compareAndSet(u, u + 1)) {
        return u;
      }
    }
  }

  /** Units claimed so far. */
  int claimed() {
    return Math.min(cursor.get(), units());
  }

  /**
   * Whether {@code fulfillment} fulfils Prepare {@code p}: SHA-256 of it equals the execution
   * condition, read in place from the encoded Prepare: after the type, the envelope's length
   * prefix, the amount (8 bytes) and the expiry (17 bytes, {@code YYYYMMDDHHmmss.fff}).
   */
  boolean fulfils(int p, byte[] fulfillment) {
    byte[] request = requests[p];
    int body = bodyStart[p];
    int prefix = (request[body + 1] & 0x80) == 0 ? 1 : 1 + (request[body + 1] & 0x7f);
    int condition = body + 1 + prefix + 8 + 17;
    byte[] digest = sha256().digest(fulfillment);
    int diff = 0;
    for (int i = 0; i < 32; i++) {
      diff |= digest[i] ^ request[condition + i];
    }
    return diff == 0;
  }

  private static final ThreadLocal<MessageDigest> sha256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private static MessageDigest sha256() {
    return sha256.get();
  }
}
