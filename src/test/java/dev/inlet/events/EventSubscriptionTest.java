package dev.inlet.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EventSubscriptionTest {

  @Test
  void aBufferFilledBeforeTheStreamSubscribesCountsAsTooSlow() {
    AtomicBoolean removed = new AtomicBoolean();
    EventSubscription s = new EventSubscription(7, 2, x -> removed.set(true));
    assertThat(s.offer(event(1))).isTrue();
    assertThat(s.offer(event(2))).isTrue();
    // Still replaying: nobody takes the live events yet, and the buffer is full.
    assertThat(s.offer(event(3))).isFalse();
    assertThat(s.overflowed().block(Duration.ofSeconds(1))).isNull();
    assertThat(s.offer(event(4))).isFalse();
    s.close();
    assertThat(removed).isTrue();
  }

  @Test
  void aSubscribedStreamGetsTheBufferedEventsThenLiveOnes() {
    EventSubscription s = new EventSubscription(7, 4, x -> {});
    s.offer(event(1));
    s.offer(event(2));
    var ids = new java.util.ArrayList<Long>();
    s.events().subscribe(e -> ids.add(e.id()));
    s.offer(event(3));
    assertThat(ids).containsExactly(1L, 2L, 3L);
  }

  private static Event event(long id) {
    return new Event(id, 7L, "payment.received", "{\"id\":" + id + "}");
  }
}
