package dev.inlet.load;

/**
 * Prints a phase's fulfilled packets/s every few seconds while it runs (a daemon thread, stopped by
 * close).
 */
final class Progress implements AutoCloseable {
  private static final long everyMillis = 10_000;
  private final Thread thread;

  Progress(String label, String phase, Stats stats) {
    thread =
        new Thread(
            () -> {
              long last = stats.fulfilled.sum();
              long started = System.nanoTime();
              try {
                while (true) {
                  Thread.sleep(everyMillis);
                  long now = stats.fulfilled.sum();
                  LoadBenchmark.log(
                      label,
                      "%s at %3.0f s: %,.0f fulfilled/s",
                      phase,
                      (System.nanoTime() - started) / 1e9,
                      (now - last) * 1000.0 / everyMillis);
                  last = now;
                }
              } catch (InterruptedException e) {
                // closed
              }
            },
            "progress");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
