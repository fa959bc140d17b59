package dev.inlet.uplink;

import dev.inlet.codec.ilp.Ildcp;
import dev.inlet.codec.ilp.IldcpResponse;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the parent for Inlet's address and asset over the uplink (ILDCP, RFC 0031), retrying with a
 * doubling backoff while the link comes up or the parent refuses, until a deadline.
 */
final class IldcpFetch {
  private static final Logger log = LoggerFactory.getLogger(IldcpFetch.class);

  /** First wait between attempts; doubled up to {@link #maxRetryDelay}. */
  static final Duration firstRetryDelay = Duration.ofMillis(100);

  static final Duration maxRetryDelay = Duration.ofSeconds(5);

  private IldcpFetch() {}

  /**
   * @param timeout how long to keep trying
   * @throws IllegalStateException when no answer came within {@code timeout}, naming the last
   *     problem
   */
  static IldcpResponse fetch(Uplink uplink, Duration timeout, Clock clock, String where)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration delay = firstRetryDelay;
    String last = "no attempt";
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            "No ILP address from the parent at "
                + where
                + " over ILDCP within "
                + timeout.toSeconds()
                + "s (INLET_UPLINK_ILDCP_TIMEOUT): "
                + last
                + ". Check INLET_UPLINK_URL, or set INLET_ILP_ADDRESS.");
      }
      if (uplink.state() == Uplink.State.UP) {
        try {
          IlpPacket answer =
              uplink.send(Ildcp.request(clock.instant())).get(left, TimeUnit.NANOSECONDS);
          if (answer instanceof IlpFulfill f) {
            IldcpResponse response = Ildcp.readResponse(f);
            log.info(
                "ILDCP: the parent says Inlet is {} in {} (scale {})",
                response.clientAddress(),
                response.assetCode(),
                response.assetScale());
            return response;
          }
          IlpReject r = (IlpReject) answer;
          last = "the parent rejected ILDCP with " + r.code() + " " + r.message();
        } catch (ExecutionException e) {
          last = String.valueOf(e.getCause().getMessage());
        } catch (TimeoutException e) {
          last = "no answer";
        } catch (DecodeException e) {
          last = "the parent's ILDCP answer is unreadable: " + e.getMessage();
        }
        log.info("ILDCP: {}; retrying", last);
      } else {
        // Waiting for the link: ask as soon as it is up, and back off only when asking fails.
        last = "the uplink is " + uplink.state();
        sleepAtMost(firstRetryDelay, deadline);
        continue;
      }
      sleepAtMost(delay, deadline);
      delay =
          delay.multipliedBy(2).compareTo(maxRetryDelay) > 0
              ? maxRetryDelay
              : delay.multipliedBy(2);
    }
  }

  private static void sleepAtMost(Duration delay, long deadline) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(
        Math.min(delay.toNanos(), Math.max(0, deadline - System.nanoTime())));
  }
}
