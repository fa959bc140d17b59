package dev.inlet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Inlet: an Interledger receiver (SPSP, RFC 0009; STREAM, RFC 0029) with a durable PostgreSQL
 * ledger.
 */
@SpringBootApplication
public class InletApplication {
  public static void main(String[] args) {
    SpringApplication.run(InletApplication.class, args);
  }
}
