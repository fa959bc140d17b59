package dev.inlet.ledger.postgres;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The ledger's metrics: commit batch size and latency ({@code inlet_ledger_batch_packets}, {@code
 * inlet_ledger_commit_seconds}), batches by path ({@code
 * inlet_ledger_batches_total{path=cached|locked}}), batches failed on a broken rule of money
 * ({@code inlet_ledger_invariant_violations_total}: any is a bug; alert on it) and the amount
 * received per asset ({@code inlet_received_amount_total}, in the asset's smallest unit — a metric
 * only: as a double it is exact up to 2^53, the ledger itself is exact).
 */
public final class LedgerMetrics {
  private final DistributionSummary batchPackets;
  private final Timer commit;
  private final Counter received;
  private final Counter cachedBatches;
  private final Counter lockedBatches;
  private final Counter invariantViolations;

  public LedgerMetrics(MeterRegistry registry, String assetCode, int assetScale) {
    this.batchPackets =
        DistributionSummary.builder("inlet.ledger.batch.packets")
            .description("Packets applied per ledger transaction (group commit)")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.commit =
        Timer.builder("inlet.ledger.commit")
            .description("Time to apply and commit one batch")
            .publishPercentileHistogram()
            .register(registry);
    this.received =
        Counter.builder("inlet.received.amount")
            .description("Amount credited, in the asset's smallest unit")
            .tag("asset_code", assetCode)
            .tag("asset_scale", Integer.toString(assetScale))
            .register(registry);
    this.cachedBatches = batches(registry, "cached");
    this.lockedBatches = batches(registry, "locked");
    this.invariantViolations =
        Counter.builder("inlet.ledger.invariant.violations")
            .description("Ledger batches failed because a rule of money did not hold: a bug")
            .register(registry);
  }

  private static Counter batches(MeterRegistry registry, String path) {
    return Counter.builder("inlet.ledger.batches")
        .description(
            "Ledger batches committed: decided on the writer's cache (one statement) or read under locks")
        .tag("path", path)
        .register(registry);
  }

  void batch(boolean cached) {
    (cached ? cachedBatches : lockedBatches).increment();
  }

  void invariantViolated() {
    invariantViolations.increment();
  }

  void committed(int packets, long nanos, double amount) {
    batchPackets.record(packets);
    commit.record(nanos, TimeUnit.NANOSECONDS);
    if (amount > 0) {
      received.increment(amount);
    }
  }
}
