package dev.inlet.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the event stream ({@code INLET_EVENTS_*}; defaults in application.yaml).
 *
 * @param retention events older than this are deleted (every replica checks)
 * @param retentionInterval how often old events are looked for
 * @param pollInterval the longest the event hub goes without reading new events, notified or not (a
 *     fallback: {@code NOTIFY} wakes it at once)
 * @param readGap the shortest time between two reads of the event hub that notifications cause: the
 *     most a live stream or webhook waits for it, and fewer queries when commits come fast
 * @param heartbeatInterval a live stream sends a comment this often, so proxies keep it open
 * @param subscriberBuffer events a live stream may have waiting; one that falls further behind is
 *     disconnected (it resumes with {@code Last-Event-ID})
 */
@ConfigurationProperties(prefix = "inlet.events")
public record EventSettings(
    Duration retention,
    Duration retentionInterval,
    Duration pollInterval,
    Duration readGap,
    Duration heartbeatInterval,
    Integer subscriberBuffer) {

  /** Checks the values: every duration positive, the buffer at least 16. */
  public EventSettings {
    positive("retention", retention);
    positive("retention-interval", retentionInterval);
    positive("poll-interval", pollInterval);
    positive("read-gap", readGap);
    positive("heartbeat-interval", heartbeatInterval);
    if (subscriberBuffer == null || subscriberBuffer < 16) {
      throw new IllegalArgumentException("inlet.events.subscriber-buffer must be at least 16");
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("inlet.events." + name + " must be a positive duration");
    }
  }
}
