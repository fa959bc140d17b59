package dev.inlet.events;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One live stream's share of the {@link EventHub}: the merchant's events the hub read after this
 * was made, in id order, held in a bounded buffer until {@link #events()} is consumed. When the
 * buffer is full the subscriber is too slow: it gets no more events and {@link #overflowed()}
 * completes (its stream should end; the client resumes from its last event id). Close it to leave
 * the hub.
 */
public final class EventSubscription implements AutoCloseable {
  private final long merchantId;
  private final Sinks.Many<Event> sink;
  private final Sinks.Empty<Void> overflow = Sinks.empty();
  private final Sinks.Empty<Void> ended = Sinks.empty();
  private final Consumer<EventSubscription> onClose;
  private volatile boolean open = true;

  EventSubscription(long merchantId, int capacity, Consumer<EventSubscription> onClose) {
    this.merchantId = merchantId;
    this.sink = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(capacity));
    this.onClose = onClose;
  }

  /** The merchant whose events this receives. */
  public long merchantId() {
    return merchantId;
  }

  /** The live events, once (a single subscriber). Never completes by itself. */
  public Flux<Event> events() {
    return sink.asFlux();
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
   * Hands one event over; called by the hub's thread only (the sink's single producer).
   *
   * @return false when this subscription is done (closed, cancelled or overflowed)
   */
  boolean offer(Event event) {
    if (!open) {
      return false;
    }
    Sinks.EmitResult result = sink.tryEmitNext(event);
    if (result.isSuccess()) {
      return true;
    }
    open = false;
    // A full buffer is FAIL_ZERO_SUBSCRIBER while the stream is still replaying (it subscribes to
    // the live events only after the replay): too slow all the same. Missing it left the stream
    // without live events and without the disconnect that would let its client resume.
    if (result == Sinks.EmitResult.FAIL_OVERFLOW
        || result == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
      overflow.tryEmitEmpty();
    }
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
