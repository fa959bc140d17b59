package dev.inlet.web;

import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Blocking work (JDBC) from a handler: run on Reactor's bounded elastic pool, never the event loop.
 */
public final class Blocking {
  private Blocking() {}

  /** {@code call}'s result, computed on the bounded elastic pool when subscribed. */
  public static <T> Mono<T> blocking(Callable<T> call) {
    return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
  }
}
