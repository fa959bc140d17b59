package dev.inlet.events;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One live stream's share of the {@link EventHub}: the merchant's events the hub read after this
 * was made, in id order, in the lists the hub read them in (one per read: the stream writes each
 * list at once, so a busy merchant's stream costs a write per read, not per event), held until
 * {@link #events()} is consumed. When more than its capacity of events wait, the subscriber is too
 * slow: it gets no more events and {@link #overflowed()} completes (its stream should end; the
 * client resumes from its last event id). Close it to leave the hub.
 */
public final class EventSubscription implements AutoCloseable {
  private final long merchantId;
  private final int capacity;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Sinks.Many<List<Event>> sink =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<List<Event>>unbounded().get());
  private final Sinks.Empty<Void> overflow = Sinks.empty();
  private final Sinks.Empty<Void> ended = Sinks.empty();
  private final Consumer<EventSubscription> onClose;
  private volatile boolean open = true;

  EventSubscription(long merchantId, int capacity, Consumer<EventSubscription> onClose) {
    this.merchantId = merchantId;
    this.capacity = capacity;
    this.onClose = onClose;
  }

  /** The merchant whose events this receives. */
  public long merchantId() {
    return merchantId;
  }

  /**
   * The live events, once (a single subscriber), a list per read of the hub; a list taken no longer
   * counts against the capacity. Never completes by itself.
   */
  public Flux<List<Event>> events() {
    return sink.asFlux().doOnNext(list -> waiting.addAndGet(-list.size()));
  }

  /** Completes when the buffer overflowed: the subscriber fell behind and got no more events. */
  public Mono<Void> overflowed() {
    return overflow.asMono();
  }

  /** Completes when the hub stops serving streams (the application shuts down). */
  public Mono<Void> ended() {
    return ended.asMono();
  }

  /**
   * Hands one read's events over; called by the hub's thread only (the sink's single producer).
   *
   * @return false when this subscription is done (closed, cancelled or overflowed)
   */
  boolean offer(List<Event> events) {
    // In parts of at most the capacity: a read larger than the buffer is taken part by part
    // while the stream keeps up, as single events were.
    for (int from = 0; from < events.size(); from += capacity) {
      if (!offerPart(events.subList(from, Math.min(events.size(), from + capacity)))) {
        return false;
      }
    }
    return true;
  }

  private boolean offerPart(List<Event> part) {
    if (!open) {
      return false;
    }
    // Counted before the stream subscribes too: a replay that takes too long is too slow as well.
    if (waiting.addAndGet(part.size()) > capacity) {
      open = false;
      overflow.tryEmitEmpty();
      return false;
    }
    if (sink.tryEmitNext(part).isSuccess()) {
      return true;
    }
    open = false; // cancelled
    return false;
  }

  /** Ends the stream cleanly (shutdown). */
  void end() {
    ended.tryEmitEmpty();
  }

  @Override
  public void close() {
    open = false;
    onClose.accept(this);
  }
}
