package dev.inlet.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.inlet.stream.AdmissionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts refusals: {@code inlet_admission_refusals_total{reason, where}} (where: {@code spsp},
 * {@code api}, {@code ilp}), and who was refused recently — at most {@link #maxTracked} (where,
 * who, reason) entries, each kept {@link #kept} after its last refusal — for the admin API.
 */
public final class Refusals {
  /** Most (where, who, reason) entries kept. */
  public static final int maxTracked = 1_000;

  /** How long an entry stays after its last refusal. */
  public static final Duration kept = Duration.ofHours(1);

  /** Where refusals happen. */
  public enum Where {
    spsp,
    api,
    ilp
  }

  /** One party refused for one reason: how often, first and last. */
  public record Recent(
      String where, String who, String reason, long count, Instant first, Instant last) {}

  private record Key(Where where, String who, AdmissionReason reason) {}

  private static final class Tally {
    final AtomicLong count = new AtomicLong();
    final Instant first;
    volatile Instant last;

    Tally(Instant first) {
      this.first = first;
      this.last = first;
    }
  }

  private final Map<Where, Map<AdmissionReason, Counter>> counters = new EnumMap<>(Where.class);
  // Upkeep on the refusing thread, as the other admission caches: a flood refuses thousands a
  // second, and each hand-off to the common pool would wake one of its threads.
  private final Cache<Key, Tally> recent =
      Caffeine.newBuilder()
          .maximumSize(maxTracked)
          .expireAfterAccess(kept)
          .executor(Runnable::run)
          .build();
  private final Clock clock;

  public Refusals(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    for (Where w : Where.values()) {
      Map<AdmissionReason, Counter> byReason = new EnumMap<>(AdmissionReason.class);
      for (AdmissionReason r : AdmissionReason.values()) {
        byReason.put(
            r,
            Counter.builder("inlet.admission.refusals")
                .description("Requests and packets refused by admission control, by reason")
                .tag("reason", r.code())
                .tag("where", w.name())
                .register(registry));
      }
      counters.put(w, byReason);
    }
  }

  /** Counts one refusal of {@code who} (a client address, an ILP address, a connection). */
  public void refused(Where where, AdmissionReason reason, String who) {
    counters.get(where).get(reason).increment();
    Instant now = clock.instant();
    Tally t = recent.get(new Key(where, who, reason), k -> new Tally(now));
    t.count.incrementAndGet();
    t.last = now;
  }

  /** Refusals since start on this replica, by where and reason: each pair refused at least once. */
  public List<Total> totals() {
    List<Total> totals = new ArrayList<>();
    counters.forEach(
        (where, byReason) ->
            byReason.forEach(
                (reason, counter) -> {
                  long n = (long) counter.count();
                  if (n > 0) {
                    totals.add(new Total(where.name(), reason.code(), n));
                  }
                }));
    return totals;
  }

  /** How often one reason refused there, since start. */
  public record Total(String where, String reason, long count) {}

  /** The recent refusals, most frequent first. */
  public List<Recent> recent() {
    return recent.asMap().entrySet().stream()
        .map(
            e ->
                new Recent(
                    e.getKey().where().name(),
                    e.getKey().who(),
                    e.getKey().reason().code(),
                    e.getValue().count.get(),
                    e.getValue().first,
                    e.getValue().last))
        .sorted(Comparator.comparingLong(Recent::count).reversed())
        .toList();
  }
}
