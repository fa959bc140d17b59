package dev.inlet.uplink;

import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.stream.sender.LinkException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An {@link Uplink} with its metrics: {@code inlet_uplink_state{state}} (1 for the state the link
 * is in, 0 for the others) and {@code inlet_packets_sent_total{result, class}}: result {@code
 * fulfilled}, {@code rejected} (class the code's letter: F, T or R) or {@code error} (class {@code
 * in-doubt} or {@code not-sent}).
 */
final class MeteredUplink implements Uplink {
  private final Uplink link;
  private final MeterRegistry registry;
  private final Counter fulfilled;
  private final Counter inDoubt;
  private final Counter notSent;
  private final ConcurrentMap<Character, Counter> rejected = new ConcurrentHashMap<>();

  MeteredUplink(Uplink link, MeterRegistry registry) {
    this.link = link;
    this.registry = registry;
    for (State s : State.values()) {
      Gauge.builder("inlet.uplink.state", link, l -> l.state() == s ? 1 : 0)
          .description("1 for the uplink's state now, 0 for the others")
          .tag("state", s.name().toLowerCase())
          .register(registry);
    }
    this.fulfilled = counter("fulfilled", "none");
    this.inDoubt = counter("error", "in-doubt");
    this.notSent = counter("error", "not-sent");
  }

  @Override
  public CompletableFuture<IlpPacket> send(IlpPrepare prepare) {
    return link.send(prepare).whenComplete(this::count);
  }

  @Override
  public State state() {
    return link.state();
  }

  @Override
  public void serve(IncomingPrepares incoming) {
    link.serve(incoming);
  }

  @Override
  public void close() {
    link.close();
  }

  /** The link inside, for what only a kind of link has. */
  Uplink link() {
    return link;
  }

  private void count(IlpPacket answer, Throwable error) {
    if (answer instanceof IlpFulfill) {
      fulfilled.increment();
    } else if (answer instanceof IlpReject r) {
      // The class letter only: a parent's codes are not ours to bound.
      char c = r.code().code().charAt(0);
      char letter = c == 'F' || c == 'T' || c == 'R' ? c : '?';
      rejected.computeIfAbsent(letter, l -> counter("rejected", String.valueOf(l))).increment();
    } else {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      boolean doubt = !(cause instanceof LinkException l) || l.maybeDelivered();
      (doubt ? inDoubt : notSent).increment();
    }
  }

  private Counter counter(String result, String kind) {
    return Counter.builder("inlet.packets.sent")
        .description("ILP Prepares sent over the uplink, by result")
        .tag("result", result)
        .tag("class", kind)
        .register(registry);
  }
}
