package dev.inlet.transport;

import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpReject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-Prepare metrics: {@code inlet_prepares_total{result, code}} (result fulfilled or rejected,
 * code the ILP error code or "none") and the handling latency histogram {@code
 * inlet_packet_handling_seconds}.
 */
public final class PacketMetrics {
  private final MeterRegistry registry;
  private final Timer handling;
  private final Counter fulfilled;
  private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();

  public PacketMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.handling =
        Timer.builder("inlet.packet.handling")
            .description("Time from a Prepare's arrival to its Fulfill or Reject")
            .publishPercentileHistogram()
            .register(registry);
    this.fulfilled = counter("fulfilled", "none");
  }

  /**
   * Records one answered Prepare that arrived at {@code startNanos} ({@link System#nanoTime()}).
   */
  public void answered(IlpPacket reply, long startNanos) {
    handling.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    if (reply instanceof IlpFulfill) {
      fulfilled.increment();
    } else if (reply instanceof IlpReject reject) {
      // Codes come from this receiver's replies: a small, fixed set.
      rejected.computeIfAbsent(reject.code().code(), code -> counter("rejected", code)).increment();
    }
  }

  private Counter counter(String result, String code) {
    return Counter.builder("inlet.prepares")
        .description("ILP Prepares answered, by result and reject code")
        .tag("result", result)
        .tag("code", code)
        .register(registry);
  }
}
