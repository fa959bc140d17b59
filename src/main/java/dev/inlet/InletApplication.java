package dev.inlet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Inlet: an Interledger receiver (SPSP, RFC 0009; STREAM, RFC 0029) with a durable PostgreSQL
 * ledger.
 */
@SpringBootApplication
public class InletApplication {
  /**
   * On 2 CPUs or fewer the common fork-join pool has parallelism 1, and {@link
   * java.util.concurrent.CompletableFuture} then runs every task given to its default executor on a
   * new thread. The JDK's {@code HttpClient.sendAsync} (the ILP-over-HTTP uplink) hands each
   * response to that executor: one thread started and ended per outgoing packet, which took Inlet's
   * payouts from about 5,700 to 1,500–2,000 packets/s on 2 cores (load benchmark, sending run). Set
   * before anything starts the pool; an operator's own value is kept.
   */
  private static final String commonParallelism =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) {
    if (System.getProperty(commonParallelism) == null
        && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(commonParallelism, "2");
    }
    SpringApplication.run(InletApplication.class, args);
  }
}
