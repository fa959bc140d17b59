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
 * account's flow rates ({@code flow-rate}), then the sender's ({@code sender-quota}: money per
 * second from one sender address into the account, over all its connections; a connection's sender
 * is the address its {@code ConnectionNewAddress} announced). An invoice's connection takes its
 * account's limits ({@link InvoiceAccountIds}). A flow limiter is made for a connection, an account
 * or a sender only when a rate applies to it; limiters live in bounded Caffeine maps and are
 * dropped after ten idle minutes. A sequence already counted on its connection ({@link
 * AdmittedSequences}) is not counted, nor refused, again. Flow rates hold per replica: a connector
 * spreading one connection over replicas gets each replica's allowance.
 */
public final class PacketGate implements PacketAdmission {
  /** Accounts (and senders) with a flow limiter at once. */
  static final int maxTrackedAccounts = 10_000;

  private static final Duration idleLimiter = Duration.ofMinutes(10);

  private final AdmissionPolicy policy;
  private final Refusals refusals;
  private final Duration window;
  private final InvoiceAccountIds invoices;
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
  private final Cache<Sender, FlowLimiter> senders =
      Caffeine.newBuilder()
          .maximumSize(maxTrackedAccounts)
          .expireAfterAccess(idleLimiter)
          .executor(Runnable::run)
          .build();

  /** A sender address paying one account. */
  private record Sender(long accountId, String address) {}

  /**
   * @param window the flow-rate window ({@code INLET_FLOW_RATE_WINDOW})
   * @param invoices which account an invoice pays into
   */
  PacketGate(
      AdmissionPolicy policy, Refusals refusals, Duration window, InvoiceAccountIds invoices) {
    this.policy = policy;
    this.refusals = refusals;
    this.window = window;
    this.invoices = invoices;
  }

  @Override
  public AdmissionReason admit(
      long accountId,
      long invoiceId,
      byte[] connectionId,
      long sequence,
      String sourceAddress,
      long amount) {
    long account = accountId != 0 ? accountId : invoiceId != 0 ? invoices.accountOf(invoiceId) : 0;
    Limits limits = policy.of(account);
    if (sourceAddress != null && limits.blocks(sourceAddress)) {
      refusals.refused(Refusals.Where.ilp, AdmissionReason.SENDER_BLOCKED, sourceAddress);
      return AdmissionReason.SENDER_BLOCKED;
    }
    Long perConnection = limits.connectionFlowRate();
    Long perAccount = account != 0 ? limits.accountFlowRate() : null;
    Long perSender = account != 0 ? limits.senderFlowRate() : null;
    if (perConnection == null && perAccount == null && perSender == null) {
      return null;
    }
    ConnectionFlow flow = connections.get(ByteBuffer.wrap(connectionId), k -> new ConnectionFlow());
    if (sourceAddress != null) {
      flow.sender = sourceAddress;
    }
    if (amount == 0 || flow.admitted.counted(sequence)) {
      // A retry of a Prepare already counted (a lost Fulfill): never refuse money maybe credited.
      return null;
    }
    if (perConnection != null && !flow.limiter(perConnection, window).take(amount)) {
      return refused(AdmissionReason.FLOW_RATE, connectionId, null);
    }
    if (perAccount != null && !limiter(accounts, account, perAccount).take(amount)) {
      return refused(AdmissionReason.FLOW_RATE, connectionId, null);
    }
    String sender = flow.sender;
    if (perSender != null
        && sender != null
        && !limiter(senders, new Sender(account, sender), perSender).take(amount)) {
      return refused(AdmissionReason.SENDER_QUOTA, connectionId, sender);
    }
    flow.admitted.count(sequence);
    return null;
  }

  @Override
  public void ledgerBusy(byte[] connectionId) {
    refused(AdmissionReason.SYSTEM_LIMIT, connectionId, null);
  }

  /**
   * A connection's flow limiter (when it has a rate), the sequences counted against it, and its
   * sender's address once announced.
   */
  private static final class ConnectionFlow {
    final AdmittedSequences admitted = new AdmittedSequences();
    volatile String sender;
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

  /** Counts a refusal of the connection (or of {@code sender}, when named) for {@code reason}. */
  private AdmissionReason refused(AdmissionReason reason, byte[] connectionId, String sender) {
    refusals.refused(
        Refusals.Where.ilp,
        reason,
        sender != null
            ? sender
            : "connection "
                + HexFormat.of().formatHex(connectionId, 0, Math.min(8, connectionId.length)));
    return reason;
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
