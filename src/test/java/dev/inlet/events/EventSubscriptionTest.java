package dev.inlet.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventSubscriptionTest {

  @Test
  void aBufferFilledBeforeTheStreamSubscribesCountsAsTooSlow() {
    AtomicBoolean removed = new AtomicBoolean();
    EventSubscription s = new EventSubscription(7, 3, x -> removed.set(true));
    assertThat(s.offer(List.of(event(1)))).isTrue();
    assertThat(s.offer(List.of(event(2), event(3)))).isTrue();
    // Still replaying: nobody takes the live events yet, and the buffer is full.
    assertThat(s.offer(List.of(event(4)))).isFalse();
    assertThat(s.overflowed().block(Duration.ofSeconds(1))).isNull();
    assertThat(s.offer(List.of(event(5)))).isFalse();
    s.close();
    assertThat(removed).isTrue();
  }

  @Test
  void aSubscribedStreamGetsTheBufferedEventsThenLiveOnes() {
    EventSubscription s = new EventSubscription(7, 3, x -> {});
    s.offer(List.of(event(1)));
    s.offer(List.of(event(2), event(3)));
    var ids = new java.util.ArrayList<Long>();
    s.events().subscribe(list -> list.forEach(e -> ids.add(e.id())));
    // Taken lists no longer count: three more fit.
    assertThat(s.offer(List.of(event(4), event(5), event(6)))).isTrue();
    assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void eachEventAboveTheLastSentIsWrittenAsSseWithOneDataLinePerLine() {
    AtomicLong last = new AtomicLong(1);
    String text =
        EventsHandler.sse(
            List.of(event(1), event(2), new Event(3, 7L, "invoice.completed", "{\"a\":\n1}")),
            last);
    assertThat(text)
        .isEqualTo(
            "id:2\nevent:payment.received\ndata:{\"id\":2}\n\n"
                + "id:3\nevent:invoice.completed\ndata:{\"a\":\ndata:1}\n\n");
    assertThat(last).hasValue(3);
    assertThat(EventsHandler.sse(List.of(event(3)), last)).isEmpty();
  }

  private static Event event(long id) {
    return new Event(id, 7L, "payment.received", "{\"id\":" + id + "}");
  }
}
