package dev.inlet.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every WebFlux request an id ({@link RequestIds}): echoed in the response and put in the
 * logging MDC by {@link #logging} around each log call. (Not by Reactor's automatic context
 * propagation: restoring thread locals at every operator cost more CPU per packet than everything
 * else the receiver does.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class RequestIdFilter implements WebFilter {

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String given = exchange.getRequest().getHeaders().getFirst(RequestIds.header);
    String id = RequestIds.sane(given) ? given : exchange.getRequest().getId();
    exchange.getResponse().getHeaders().set(RequestIds.header, id);
    exchange.getAttributes().put(RequestIds.key, id);
    return chain.filter(exchange);
  }

  /** Runs {@code log} with the request's id in the MDC. */
  public static void logging(ServerWebExchange exchange, Runnable log) {
    Object id = exchange.getAttribute(RequestIds.key);
    RequestIds.logging(id == null ? null : id.toString(), log);
  }

  /** Runs {@code log} with the request's id in the MDC. */
  public static void logging(ServerRequest request, Runnable log) {
    logging(request.exchange(), log);
  }
}
