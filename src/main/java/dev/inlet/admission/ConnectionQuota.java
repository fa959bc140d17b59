package dev.inlet.admission;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.inlet.stream.AdmissionReason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Open connections, checked when an SPSP handler is about to hand out a new connection's
 * credentials: the service's ({@code INLET_MAX_OPEN_CONNECTIONS}, else {@code system-limit}) and
 * the account's ({@code max_open_connections}, else {@code receiver-quota}). Counted in the
 * database, so across replicas; a connection is open while not closed and it had a packet within
 * {@code INLET_OPEN_CONNECTION_IDLE}. A count is reused for {@link #countAge} (an SPSP flood costs
 * one count a second per account, not one per query), so a burst may pass a limit by what one
 * second lets through; one used after half that age is counted again in the background, so that the
 * early answer ({@link #admitsByCount}, on an event loop) finds a count while queries keep coming,
 * and waits for one made in the background when none is recent. Connections already open are served
 * on: their credentials are out.
 */
public final class ConnectionQuota {
  /** How long a count is reused. */
  static final Duration countAge = Duration.ofSeconds(1);

  private static final CompletableFuture<Boolean> admitted =
      CompletableFuture.completedFuture(true);
  private static final CompletableFuture<Boolean> notAdmitted =
      CompletableFuture.completedFuture(false);

  /** Retry-After of a refusal: connections close or go idle over minutes. */
  static final long retryAfterSeconds = 60;

  private final AdmissionPolicy policy;
  private final Refusals refusals;
  private final int maxOpenConnections;

  /** Account id to {its open connections, the service's}. */
  private final LoadingCache<Long, long[]> counts;

  /**
   * @param count the open connections of an account and of the service, {@code [account, service]};
   *     blocking
   * @param recounts where counts made in the background run (not an event loop)
   */
  ConnectionQuota(
      LongFunction<long[]> count,
      AdmissionPolicy policy,
      Refusals refusals,
      int maxOpenConnections,
      Executor recounts,
      Ticker ticker) {
    this.policy = policy;
    this.refusals = refusals;
    this.maxOpenConnections = maxOpenConnections;
    this.counts =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(countAge)
            .refreshAfterWrite(countAge.dividedBy(2))
            .executor(recounts)
            .ticker(ticker)
            .build(count::apply);
  }

  /**
   * Whether account {@code accountId} may have one more connection: null, else the reason. Blocking
   * (a database count at most once a second per account): call it off the event loop.
   */
  public AdmissionReason check(long accountId) {
    return reason(accountId, counts.get(accountId));
  }

  /**
   * Whether account {@code accountId} may have one more connection, as {@link #check} decides,
   * without blocking: at once by a count made within {@link #countAge}, else when a count made in
   * the background lands (false if it fails: then {@link #check} counts, and answers its error).
   */
  public CompletableFuture<Boolean> admitsByCount(long accountId) {
    long[] open = counts.getIfPresent(accountId);
    if (open != null) {
      return reason(accountId, open) == null ? admitted : notAdmitted;
    }
    return counts
        .refresh(accountId)
        .handle((o, e) -> e == null && o != null && reason(accountId, o) == null);
  }

  /** {@code open}: the account's open connections and the service's. */
  private AdmissionReason reason(long accountId, long[] open) {
    if (open[1] >= maxOpenConnections) {
      return AdmissionReason.SYSTEM_LIMIT;
    }
    if (open[0] >= policy.of(accountId).maxOpenConnections()) {
      return AdmissionReason.RECEIVER_QUOTA;
    }
    return null;
  }

  /** The SPSP refusal for {@code reason}, counted against {@code client}. */
  public Mono<ServerResponse> refuse(AdmissionReason reason, String client) {
    refusals.refused(Refusals.Where.spsp, reason, client);
    return AdmissionProblems.respond(
        reason,
        retryAfterSeconds,
        reason == AdmissionReason.SYSTEM_LIMIT
            ? "The service has as many open connections as it takes"
            : "The account has as many open connections as it takes");
  }
}
