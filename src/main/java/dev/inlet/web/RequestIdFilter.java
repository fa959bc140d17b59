package dev.inlet.web;

import io.micrometer.context.ContextRegistry;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token, otherwise the server's
 * own. It is echoed in the response and carried in the logging MDC as {@code request_id} (through Reactor's
 * context, propagated automatically), so every log line of a request can be found by it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class RequestIdFilter implements WebFilter {
  /** Header carrying the request id, in and out. */
  public static final String header = "X-Request-Id";
  /** MDC and Reactor context key. */
  public static final String key = "request_id";
  private static final Pattern saneId = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  static {
    ContextRegistry.getInstance().registerThreadLocalAccessor(
        key, () -> MDC.get(key), value -> MDC.put(key, value), () -> MDC.remove(key));
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String given = exchange.getRequest().getHeaders().getFirst(header);
    String id = given != null && saneId.matcher(given).matches() ? given : exchange.getRequest().getId();
    exchange.getResponse().getHeaders().set(header, id);
    return chain.filter(exchange).contextWrite(context -> context.put(key, id));
  }
}
