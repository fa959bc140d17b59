package dev.inlet.events;

import dev.inlet.merchant.Merchant;
import dev.inlet.merchant.MerchantAuth;
import dev.inlet.web.Problems;
import dev.inlet.web.RequestValues;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * {@code GET /v1/events}: the authenticated merchant's events, oldest first.
 *
 * <ul>
 *   <li>With {@code Accept: text/event-stream}, a live stream (SSE): each event as {@code id:} its
 *       id, {@code event:} its type, {@code data:} its JSON. It starts after {@code Last-Event-ID}
 *       or else {@code ?after=} (a decimal event id), replaying every later event once, in order,
 *       then goes on live without gap or repeat; without either, with the events from now on. A
 *       comment every heartbeat interval keeps proxies from closing it. A client too slow to take
 *       its events is disconnected and resumes with {@code Last-Event-ID}.
 *   <li>Otherwise a JSON page, {@code {"items": [event…], "next_cursor": "<id>"|null}}: events
 *       after {@code ?after=} (default 0), at most {@code ?limit=} (1..500, default 100); {@code
 *       next_cursor} is the last item's id when more may follow, to pass as {@code after}.
 * </ul>
 *
 * A bad {@code after}, {@code Last-Event-ID} or {@code limit} is 400 {@code invalid-cursor} or
 * {@code invalid-limit}.
 */
public final class EventsHandler {
  private static final Logger log = LoggerFactory.getLogger(EventsHandler.class);

  static final int maxLimit = 500;
  static final int defaultLimit = 100;

  /** Events a replay reads from the database at a time. */
  static final int replayPage = 500;

  private final EventStore store;
  private final EventHub hub;
  private final Duration heartbeat;
  private final int subscriberBuffer;

  public EventsHandler(EventStore store, EventHub hub, EventSettings settings) {
    this.store = store;
    this.hub = hub;
    this.heartbeat = settings.heartbeatInterval();
    this.subscriberBuffer = settings.subscriberBuffer();
  }

  /** The route's handler. */
  public Mono<ServerResponse> events(ServerRequest request) {
    Merchant merchant = MerchantAuth.merchant(request);
    boolean stream =
        request.headers().accept().stream()
            .anyMatch(MediaType.TEXT_EVENT_STREAM::equalsTypeAndSubtype);
    List<String> lastEventId = request.headers().header("Last-Event-ID");
    List<String> after = request.queryParams().get("after");
    OptionalLong cursor;
    boolean given;
    if (stream && !lastEventId.isEmpty()) {
      cursor = eventId(lastEventId);
      given = true;
    } else {
      cursor = after == null ? OptionalLong.of(0) : eventId(after);
      given = after != null;
    }
    if (cursor.isEmpty()) {
      return Problems.respond(
          HttpStatus.BAD_REQUEST,
          "invalid-cursor",
          "An event id (after, Last-Event-ID) is a decimal number from 0 to 2^63-1");
    }
    if (stream) {
      return live(merchant.id(), given ? cursor.getAsLong() : -1, disconnecting(request));
    }
    OptionalInt limit = RequestValues.wholeNumber(request, "limit", 1, maxLimit, defaultLimit);
    if (limit.isEmpty()) {
      return Problems.respond(
          HttpStatus.BAD_REQUEST, "invalid-limit", "limit is a whole number from 1 to " + maxLimit);
    }
    return page(merchant.id(), cursor.getAsLong(), limit.getAsInt());
  }

  private Mono<ServerResponse> page(long merchantId, long after, int limit) {
    return Mono.fromCallable(() -> store.page(merchantId, after, limit + 1))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            events -> {
              boolean more = events.size() > limit;
              List<Event> items = more ? events.subList(0, limit) : events;
              // The items are the database's text, byte for byte.
              StringBuilder body = new StringBuilder("{\"items\":[");
              for (int i = 0; i < items.size(); i++) {
                body.append(i == 0 ? "" : ",").append(items.get(i).json());
              }
              body.append("],\"next_cursor\":")
                  .append(more ? "\"" + items.get(items.size() - 1).id() + "\"" : "null")
                  .append('}');
              return ServerResponse.ok()
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(body.toString());
            });
  }

  /** A live stream after {@code after}, or from the newest event when it is negative. */
  private Mono<ServerResponse> live(long merchantId, long after, Runnable disconnect) {
    Flux<String> chunks =
        Flux.using(
            () -> hub.subscribe(merchantId, subscriberBuffer),
            subscription -> stream(subscription, after, disconnect),
            EventSubscription::close);
    return ServerResponse.ok()
        .contentType(MediaType.TEXT_EVENT_STREAM)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("X-Accel-Buffering", "no") // nginx: pass each event on at once
        .body(
            (response, context) ->
                response.writeAndFlushWith(
                    chunks.map(
                        text ->
                            Mono.just(
                                response
                                    .bufferFactory()
                                    .wrap(text.getBytes(StandardCharsets.UTF_8))))));
  }

  /**
   * Subscribed first, then the replay from the database, then the live events above the last one
   * sent: the hub hands the subscription every event it reads from now on, and the replay (read
   * later) sees every event the hub read before. Each element is SSE text written and flushed at
   * once: a replay page, or the merchant's events of one read of the hub.
   */
  private Flux<String> stream(EventSubscription subscription, long after, Runnable disconnect) {
    return Mono.fromCallable(() -> after >= 0 ? after : store.newestId())
        .subscribeOn(Schedulers.boundedElastic())
        .flatMapMany(
            start -> {
              AtomicLong last = new AtomicLong(start);
              Flux<String> events =
                  replay(subscription.merchantId(), start)
                      .concatWith(Flux.defer(subscription::events))
                      .map(list -> sse(list, last))
                      .filter(text -> !text.isEmpty());
              Mono<String> tooSlow =
                  subscription
                      .overflowed()
                      .then(
                          Mono.fromRunnable(
                              () ->
                                  log.warn(
                                      "Event stream of merchant {} fell {} events behind after"
                                          + " event {}; disconnected",
                                      subscription.merchantId(),
                                      subscriberBuffer,
                                      last.get())))
                      .then(Mono.fromRunnable(disconnect));
              Flux<String> heartbeats =
                  Flux.interval(heartbeat, heartbeat).map(i -> comment("heartbeat"));
              // A first comment at once: the client knows the stream is subscribed.
              return Flux.just(comment("subscribed"))
                  .concatWith(Flux.merge(1, events, tooSlow, heartbeats))
                  .takeUntilOther(subscription.ended());
            });
  }

  private Flux<List<Event>> replay(long merchantId, long after) {
    return Mono.fromCallable(() -> store.page(merchantId, after, replayPage))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMapMany(
            page ->
                page.size() < replayPage
                    ? Flux.just(page)
                    : Flux.just(page)
                        .concatWith(
                            Flux.defer(() -> replay(merchantId, page.get(page.size() - 1).id()))));
  }

  /**
   * The events of {@code events} above {@code last} as SSE (W3C HTML, "Server-sent events"): {@code
   * id:}, {@code event:}, one {@code data:} line per line of the JSON, a blank line; {@code last}
   * moves to the last one. Empty when none is above it.
   */
  static String sse(List<Event> events, AtomicLong last) {
    StringBuilder text = new StringBuilder();
    for (Event e : events) {
      if (e.id() <= last.get()) {
        continue;
      }
      last.set(e.id());
      text.append("id:").append(e.id()).append("\nevent:").append(e.type()).append('\n');
      String json = e.json();
      int from = 0;
      for (int nl = json.indexOf('\n'); nl >= 0; nl = json.indexOf('\n', from)) {
        text.append("data:").append(json, from, nl).append('\n');
        from = nl + 1;
      }
      text.append("data:").append(json, from, json.length()).append("\n\n");
    }
    return text.toString();
  }

  private static String comment(String text) {
    return ":" + text + "\n\n";
  }

  /** The one value as an event id: 1 to 19 ASCII digits, at most 2^63-1. */
  static OptionalLong eventId(List<String> values) {
    if (values.size() != 1) {
      return OptionalLong.empty();
    }
    String v = values.get(0).strip();
    if (v.isEmpty() || v.length() > 19 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Drops the request's connection at once, even with unsent bytes queued (Reactor Netty's); on
   * another server the stream fails instead, which closes it too.
   */
  private static Runnable disconnecting(ServerRequest request) {
    Object nativeRequest =
        ServerHttpRequestDecorator.getNativeRequest(request.exchange().getRequest());
    if (nativeRequest instanceof Connection connection) {
      return connection::dispose;
    }
    return () -> {
      throw new SlowSubscriberException();
    };
  }

  /** Ends a live stream whose client fell too far behind. */
  static final class SlowSubscriberException extends RuntimeException {
    SlowSubscriberException() {
      super("event stream subscriber too slow", null, false, false);
    }
  }
}
