package dev.inlet.web;

import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token, otherwise the server's
 * own. It is echoed in the response and put in the logging MDC as {@code request_id} by {@link #logging} around
 * each log call. (Not by Reactor's automatic context propagation: restoring thread locals at every operator cost
 * more CPU per packet than everything else the receiver does.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class RequestIdFilter implements WebFilter {
  /** Header carrying the request id, in and out. */
  public static final String header = "X-Request-Id";
  /** MDC key and exchange attribute. */
  public static final String key = "request_id";
  private static final Pattern saneId = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String given = exchange.getRequest().getHeaders().getFirst(header);
    String id = given != null && saneId.matcher(given).matches() ? given : exchange.getRequest().getId();
    exchange.getResponse().getHeaders().set(header, id);
    exchange.getAttributes().put(key, id);
    return chain.filter(exchange);
  }

  /** Runs {@code log} with the request's id in the MDC. */
  public static void logging(ServerWebExchange exchange, Runnable log) {
    Object id = exchange.getAttribute(key);
    if (id == null) {
      log.run();
      return;
    }
    try (MDC.MDCCloseable ignored = MDC.putCloseable(key, id.toString())) {
      log.run();
    }
  }

  /** Runs {@code log} with the request's id in the MDC. */
  public static void logging(ServerRequest request, Runnable log) {
    logging(request.exchange(), log);
  }
}
