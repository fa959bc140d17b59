package dev.inlet.load;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One client querying {@code GET /abused} at {@link FloodRun#spspFloodRate}/s (open loop, at most
 * {@link FloodRun#spspFloodInFlight} in flight: beyond, a due query is not sent, and counted), told
 * apart by its {@code X-Forwarded-For}. On the generator's own HTTP/1.1 client ({@link
 * RawIlpClient}: one event loop, pre-built request bytes), so that the flood costs the generator
 * little of the CPU Inlet shares with it: a real flood comes from other machines.
 */
final class SpspFlood {
  final LongAdder ok = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder other = new LongAdder();
  final LongAdder dropped = new LongAdder();
  private final RawIlpClient client;
  private final byte[] query;
  private final long durationNanos;
  private final ConcurrentLinkedQueue<Integer> freeLines = new ConcurrentLinkedQueue<>();
  private Thread pacer;

  SpspFlood(RawIlpClient client, int port, long durationNanos) {
    this.client = client;
    this.durationNanos = durationNanos;
    this.query =
        ("GET /abused HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nAccept: application/spsp4+json\r\nX-Forwarded-For: "
                + FloodRun.floodingClient
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < FloodRun.spspFloodInFlight; i++) {
      freeLines.add(i);
    }
  }

  void start() {
    pacer = new Thread(this::pace, "spsp-flood");
    pacer.start();
  }

  private void pace() {
    long start = System.nanoTime();
    long sent = 0;
    while (System.nanoTime() - start < durationNanos) {
      long due = (long) ((System.nanoTime() - start) / 1e9 * FloodRun.spspFloodRate);
      for (; sent < due; sent++) {
        Integer line = freeLines.poll();
        if (line == null) {
          dropped.increment();
          continue;
        }
        client.send(
            line,
            query,
            new IlpTransport.Answer() {
              @Override
              public void answered(int status, byte[] body) {
                (status == 429 ? refused : status == 200 ? ok : other).increment();
                freeLines.add(line);
              }

              @Override
              public void failed(String error) {
                other.increment();
                freeLines.add(line);
              }
            });
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  void await() throws InterruptedException {
    pacer.join();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (freeLines.size() < FloodRun.spspFloodInFlight && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  long total() {
    return ok.sum() + refused.sum() + other.sum();
  }
}
