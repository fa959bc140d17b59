package dev.inlet.stream.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A {@link SendLog} that writes each call to the shared events and checks the sender's rules. */
final class RecordingSendLog implements SendLog {
  private final TestConnector.Events events;
  final Map<Long, Long> amounts = new HashMap<>();
  final Map<Long, String> answers = new HashMap<>();
  final Map<Long, Long> delivered = new HashMap<>();

  /** When this many packets are recorded, the next record fails (-1: never). */
  volatile int failPreparedAfter = -1;

  RecordingSendLog(TestConnector.Events events) {
    this.events = events;
  }

  @Override
  public synchronized CompletableFuture<Void> prepared(
      long sequence, long amount, long minDelivered, Instant expiresAt) {
    assertTrue(amount != 0, "a zero-amount packet is not logged");
    if (amounts.size() == failPreparedAfter) {
      return CompletableFuture.failedFuture(new IllegalStateException("disk full"));
    }
    assertTrue(!amounts.containsKey(sequence), "sequence " + sequence + " prepared twice");
    amounts.put(sequence, amount);
    events.add("prepared " + sequence);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> fulfilled(long sequence, long amount) {
    answer(sequence, "fulfilled");
    delivered.put(sequence, amount);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> rejected(long sequence) {
    answer(sequence, "rejected");
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> inDoubt(long sequence) {
    answer(sequence, "inDoubt");
    return CompletableFuture.completedFuture(null);
  }

  private void answer(long sequence, String kind) {
    assertTrue(amounts.containsKey(sequence), kind + " for " + sequence + " never prepared");
    assertTrue(!answers.containsKey(sequence), "a second answer for " + sequence);
    answers.put(sequence, kind);
    events.add(kind + " " + sequence);
  }

  /** Source units of the packets with this answer. */
  synchronized long total(String kind) {
    return answers.entrySet().stream()
        .filter(e -> e.getValue().equals(kind))
        .mapToLong(e -> amounts.get(e.getKey()))
        .sum();
  }

  /**
   * Every money packet the link saw was prepared before, and every prepared one has exactly one
   * answer, after it was sent.
   */
  synchronized void assertConsistent() {
    List<String> seen = new ArrayList<>();
    for (String event : events.all()) {
      String[] parts = event.split(" ");
      if (parts[0].equals("sent")) {
        assertTrue(seen.contains("prepared " + parts[1]), "sent before prepared: " + event);
      } else if (!parts[0].equals("prepared")) {
        assertTrue(seen.contains("sent " + parts[1]), "answered before sent: " + event);
      }
      seen.add(event);
    }
    assertEquals(amounts.keySet(), answers.keySet(), "every prepared packet has one answer");
  }
}
