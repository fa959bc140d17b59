package dev.inlet.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends webhook deliveries, on every replica. One thread ({@code inlet-webhook-fan-out}) fans new
 * events out into deliveries; another ({@code inlet-webhook-dispatcher}) records finished attempts'
 * outcomes and claims due deliveries ({@link DeliveryQueue}), each in one short transaction per run
 * however many deliveries it covers, so that a large fan-out never holds up the claims; a pool of
 * {@code concurrency} threads ({@code inlet-webhook-N}) makes the attempts, at most {@code
 * per-webhook-concurrency} per webhook at once on this replica, so a slow endpoint holds that many
 * threads and no more while other merchants' deliveries go on. An attempt hands its outcome to the
 * dispatcher thread and wakes it rather than writing it itself. Nothing here runs on the packet
 * path or on the web server's event loops.
 *
 * <p>Woken by {@link #wake()} (a new event was committed, e.g. from the events' NOTIFY listener, or
 * an attempt finished) and otherwise every {@code poll-interval}, for due retries and as a
 * fallback. A failed attempt (non-2xx, timeout, no connection, a URL now resolving privately) is
 * retried after {@code retry-base * 2^(attempts-1)} jittered ×0.5..1.5, at most {@code
 * max-retry-delay}, until {@code max-attempts}, then the delivery is failed.
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** Added to the attempt timeout for a claim's lease: DNS, reading the event, the update. */
  private static final Duration leaseMargin = Duration.ofSeconds(30);

  /** The wait after a run that failed (the database is down): no tight loop of errors. */
  private static final Duration errorPause = Duration.ofSeconds(1);

  private final DeliveryQueue queue;
  private final WebhookSecrets secrets;
  private final WebhookSettings settings;
  private final WebhookSender sender;
  private final ExecutorService attempts;
  private final ExecutorService http;
  private final Thread fanOutLoop;
  private final Thread loop;
  private final Signal fanOutSignal = new Signal();
  private final Signal dispatchSignal = new Signal();
  private final AtomicInteger threads = new AtomicInteger();
  private final Queue<DeliveryQueue.Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final Map<Long, Integer> inFlight = new HashMap<>(); // webhook id → attempts; on this
  private int inFlightTotal; // guarded by this
  private volatile boolean stopping;

  WebhookDispatcher(DeliveryQueue queue, WebhookSecrets secrets, WebhookSettings settings) {
    this.queue = queue;
    this.secrets = secrets;
    this.settings = settings;
    this.attempts = Executors.newFixedThreadPool(settings.concurrency(), this::thread);
    this.http = Executors.newCachedThreadPool(r -> daemon(r, "inlet-webhook-http"));
    this.sender =
        new WebhookSender(settings.timeout(), settings.allowPrivate(), http, Clock.systemUTC());
    this.fanOutLoop = daemon(() -> run(fanOutSignal, this::fanOut), "inlet-webhook-fan-out");
    this.loop = daemon(() -> run(dispatchSignal, this::dispatch), "inlet-webhook-dispatcher");
  }

  /** Starts the fan-out and dispatcher threads. */
  public void start() {
    fanOutLoop.start();
    loop.start();
    log.info(
        "Webhook dispatcher started: {} attempts at once ({} per webhook), timeout {}, {} attempts"
            + " from {} apart{}",
        settings.concurrency(),
        settings.perWebhookConcurrency(),
        settings.timeout(),
        settings.maxAttempts(),
        settings.retryBase(),
        settings.allowPrivate() ? "; private addresses allowed" : "");
  }

  /**
   * Makes the dispatcher look for new events and due deliveries now rather than at its next poll.
   * Cheap and non-blocking: call it from any thread, as often as events arrive (wake-ups coalesce).
   */
  public void wake() {
    fanOutSignal.raise();
    dispatchSignal.raise();
  }

  /** Runs {@code step} when raised or every poll interval, at once again while it has more. */
  private void run(Signal signal, BooleanSupplier step) {
    while (!stopping) {
      Duration wait = settings.pollInterval();
      try {
        if (step.getAsBoolean()) {
          wait = Duration.ZERO;
        }
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        log.warn("Webhook dispatch failed; trying again in {}", errorPause, e);
        wait = errorPause;
      }
      try {
        signal.await(wait);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One fan-out run; the dispatcher then looks for the new deliveries. True when bounded. */
  private boolean fanOut() {
    boolean more = queue.fanOut();
    dispatchSignal.raise();
    return more;
  }

  /** Records what finished, then claims and starts what there is room for; true when full. */
  private boolean dispatch() {
    recordOutcomes();
    return dispatchDue();
  }

  /**
   * Records the outcomes finished attempts handed over, in one transaction. If that fails they are
   * kept for the next run; the deliveries stay leased meanwhile, and are attempted again if the
   * lease runs out first (at least once).
   */
  private void recordOutcomes() {
    List<DeliveryQueue.Outcome> batch = new ArrayList<>();
    for (DeliveryQueue.Outcome o; (o = outcomes.poll()) != null; ) {
      batch.add(o);
    }
    try {
      queue.record(batch);
    } catch (RuntimeException e) {
      outcomes.addAll(batch);
      throw e;
    }
  }

  /** Claims what this replica has room for and starts the attempts; true when it filled up. */
  private boolean dispatchDue() {
    int free;
    Map<Long, Integer> slots = new HashMap<>();
    synchronized (this) {
      free = settings.concurrency() - inFlightTotal;
      inFlight.forEach((id, n) -> slots.put(id, settings.perWebhookConcurrency() - n));
    }
    if (free <= 0) {
      return false; // a finishing attempt wakes the loop
    }
    List<DeliveryQueue.Attempt> claimed =
        queue.claim(
            free, slots, settings.perWebhookConcurrency(), settings.timeout().plus(leaseMargin));
    for (DeliveryQueue.Attempt a : claimed) {
      synchronized (this) {
        inFlight.merge(a.webhookId(), 1, Integer::sum);
        inFlightTotal++;
      }
      attempts.execute(() -> attempt(a));
    }
    return claimed.size() == free;
  }

  /** Makes one attempt and hands its outcome to the loop, which records it with others. */
  private void attempt(DeliveryQueue.Attempt a) {
    try {
      if (a.body() == null) {
        outcomes.add(outcome(a, null, "the event is no longer kept", null));
        return;
      }
      WebhookSender.Outcome sent =
          sender.send(a.url(), secrets.open(a.sealedSecret()), a.eventId(), a.body());
      outcomes.add(
          sent.delivered()
              ? outcome(a, sent.status(), null, null)
              : outcome(
                  a, sent.status(), sent.error(), retryDelay(settings, a.attemptsBefore() + 1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping: the lease runs out and it is tried again
    } catch (RuntimeException e) {
      // Left leased: attempted again when the lease runs out.
      log.warn("Webhook delivery {} could not be attempted", a.deliveryId(), e);
    } finally {
      synchronized (this) {
        inFlight.computeIfPresent(a.webhookId(), (id, n) -> n > 1 ? n - 1 : null);
        inFlightTotal--;
      }
      dispatchSignal.raise();
    }
  }

  /** Delivered when {@code error} is null, else failed and retried after {@code retryIn}. */
  private static DeliveryQueue.Outcome outcome(
      DeliveryQueue.Attempt a, Integer status, String error, Duration retryIn) {
    return new DeliveryQueue.Outcome(
        a.deliveryId(), a.attemptsBefore(), error == null, status, error, retryIn, Instant.now());
  }

  /**
   * The wait before attempt {@code attempts + 1} after {@code attempts} failed ones, or null when
   * {@code attempts} reached {@code max-attempts}.
   */
  static Duration retryDelay(WebhookSettings settings, int attempts) {
    if (attempts >= settings.maxAttempts()) {
      return null;
    }
    double factor = Math.pow(2, Math.min(attempts - 1, 40));
    double jitter = ThreadLocalRandom.current().nextDouble(0.5, 1.5);
    double millis = settings.retryBase().toMillis() * factor * jitter;
    return Duration.ofMillis((long) Math.min(millis, settings.maxRetryDelay().toMillis()));
  }

  private Thread thread(Runnable r) {
    return daemon(r, "inlet-webhook-" + threads.incrementAndGet());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Stops claiming and waits a little for attempts in flight; those cut short stay leased and are
   * attempted again (by any replica) once their lease runs out.
   */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    wake();
    fanOutLoop.interrupt();
    loop.interrupt();
    fanOutLoop.join(settings.timeout().toMillis());
    loop.join(settings.timeout().toMillis());
    attempts.shutdown();
    if (!attempts.awaitTermination(settings.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
      attempts.shutdownNow();
    }
    http.shutdownNow();
    try {
      recordOutcomes(); // what finished since the loop's last run
    } catch (RuntimeException e) {
      // The database is gone first: those deliveries are sent again once their lease runs out.
      log.warn("Webhook outcomes of {} attempts not recorded at shutdown", outcomes.size(), e);
    }
  }

  /** A wake-up for one thread: raised any number of times, consumed by the next {@link #await}. */
  private static final class Signal {
    private boolean raised; // guarded by this

    synchronized void raise() {
      raised = true;
      notifyAll();
    }

    /** Waits until raised or for {@code wait}, whichever is first, and clears it. */
    synchronized void await(Duration wait) throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      while (!raised) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      raised = false;
    }
  }
}
