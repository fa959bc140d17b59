package dev.inlet.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.inlet.stream.AdmissionReason;
import dev.inlet.stream.PacketAdmission;
import dev.inlet.stream.ReceiverLimits;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The receiver's admission check ({@link PacketAdmission}), from memory: the account's deny list
 * against the sender's announced address ({@code sender-blocked}), then the connection's and the
 * account's flow rates ({@code flow-rate}). A flow limiter is made for a connection or an account
 * only when a rate applies to it; limiters live in bounded Caffeine maps and are dropped after ten
 * idle minutes. A sequence already counted on its connection ({@link AdmittedSequences}) is not
 * counted, nor refused, again. Flow rates hold per replica: a connector spreading one connection
 * over replicas gets each replica's allowance.
 */
public final class PacketGate implements PacketAdmission {
  /** Accounts with a flow limiter at once. */
  static final int maxTrackedAccounts = 10_000;

  private static final Duration idleLimiter = Duration.ofMinutes(10);

  private final AdmissionPolicy policy;
  private final Refusals refusals;
  private final Duration window;
  private final Cache<ByteBuffer, ConnectionFlow> connections =
      Caffeine.newBuilder()
          .maximumSize(ReceiverLimits.maxCachedConnections)
          .expireAfterAccess(idleLimiter)
          .executor(Runnable::run)
          .build();
  private final Cache<Long, FlowLimiter> accounts =
      Caffeine.newBuilder()
          .maximumSize(maxTrackedAccounts)
          .expireAfterAccess(idleLimiter)
          .executor(Runnable::run)
          .build();

  /**
   * @param window the flow-rate window ({@code INLET_FLOW_RATE_WINDOW})
   */
  public PacketGate(AdmissionPolicy policy, Refusals refusals, Duration window) {
    this.policy = policy;
    this.refusals = refusals;
    this.window = window;
  }

  @Override
  public AdmissionReason admit(
      long accountId, byte[] connectionId, long sequence, String sourceAddress, long amount) {
    Limits limits = policy.of(accountId);
    if (sourceAddress != null && limits.blocks(sourceAddress)) {
      refusals.refused(Refusals.Where.ilp, AdmissionReason.SENDER_BLOCKED, sourceAddress);
      return AdmissionReason.SENDER_BLOCKED;
    }
    Long perConnection = limits.connectionFlowRate();
    Long perAccount = accountId != 0 ? limits.accountFlowRate() : null;
    if (amount == 0 || (perConnection == null && perAccount == null)) {
      return null;
    }
    ConnectionFlow flow = connections.get(ByteBuffer.wrap(connectionId), k -> new ConnectionFlow());
    if (flow.admitted.counted(sequence)) {
      // A retry of a Prepare already counted (a lost Fulfill): never refuse money maybe credited.
      return null;
    }
    if (perConnection != null && !flow.limiter(perConnection, window).take(amount)) {
      return flowRate(connectionId);
    }
    if (perAccount != null && !limiter(accounts, accountId, perAccount).take(amount)) {
      return flowRate(connectionId);
    }
    flow.admitted.count(sequence);
    return null;
  }

  /** A connection's flow limiter (when it has a rate) and the sequences counted against it. */
  private static final class ConnectionFlow {
    final AdmittedSequences admitted = new AdmittedSequences();
    private volatile FlowLimiter limiter;

    FlowLimiter limiter(long rate, Duration window) {
      FlowLimiter l = limiter;
      if (l == null || l.unitsPerSecond != rate) {
        l = new FlowLimiter(rate, window);
        limiter = l;
      }
      return l;
    }
  }

  private AdmissionReason flowRate(byte[] connectionId) {
    refusals.refused(
        Refusals.Where.ilp,
        AdmissionReason.FLOW_RATE,
        "connection "
            + HexFormat.of().formatHex(connectionId, 0, Math.min(8, connectionId.length)));
    return AdmissionReason.FLOW_RATE;
  }

  /** The key's limiter, made anew when there is none or its rate has changed since. */
  private <K> FlowLimiter limiter(Cache<K, FlowLimiter> cache, K key, long rate) {
    FlowLimiter l = cache.getIfPresent(key);
    if (l == null || l.unitsPerSecond != rate) {
      l = new FlowLimiter(rate, window);
      cache.put(key, l);
    }
    return l;
  }
}
