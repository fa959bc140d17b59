package dev.inlet.load;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How late a thread that sleeps 1 ms at a time wakes up (microseconds): the scheduling delay any
 * thread of the generator, Inlet or PostgreSQL may meet on its way, from the CPUs being busy or the
 * hypervisor taking them. Every hop of a packet (generator, event loop, ledger writer, PostgreSQL
 * and back) can meet it, so it bounds how low the latency percentiles can go on this machine. One
 * daemon thread, a few microseconds of CPU per millisecond.
 */
final class Hiccups {
  private static final long sleepNanos = 1_000_000;
  private static final Recorder recorder = new Recorder(3);
  private static boolean started;

  private Hiccups() {}

  /** Starts the sleeper (once). */
  static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    Thread t = new Thread(Hiccups::run, "load-hiccups");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The delays recorded since the last call (the first call after {@link #start()}: since the
   * start).
   */
  static Histogram since() {
    return recorder.getIntervalHistogram();
  }

  /** Records {@code seconds} of delays on the otherwise idle machine. */
  static Histogram idle(int seconds) throws InterruptedException {
    start();
    since();
    Thread.sleep(seconds * 1000L);
    return since();
  }

  private static void run() {
    while (true) {
      long before = System.nanoTime();
      LockSupport.parkNanos(sleepNanos);
      long late = System.nanoTime() - before - sleepNanos;
      recorder.recordValue(Math.max(0, late / 1_000));
    }
  }
}
