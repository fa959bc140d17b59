package dev.inlet.it;

import java.time.Duration;
import org.interledger.stream.SendMoneyResult;

/**
 * Makes a real STREAM payment with Quilt's client, acting as the upstream connector of a local
 * Inlet (README, "First payment"). Arguments: payment pointer, amount, and optionally the ILP
 * endpoint URL (default {@code http://<pointer host without its port>:8081/ilp}, the ILP-over-HTTP
 * listener's default port); the connector token comes from {@code INLET_CONNECTOR_TOKEN}.
 */
public final class Pay {
  private Pay() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Pay <payment pointer> <amount> [ilp endpoint URL]");
      System.exit(2);
    }
    String pointer = args[0];
    long amount = Long.parseUnsignedLong(args[1]);
    String host = pointer.substring(1).split("/", 2)[0];
    String ilpUrl =
        args.length > 2 ? args[2] : "http://" + host.replaceFirst(":\\d+$", "") + ":8081/ilp";
    String token = System.getenv("INLET_CONNECTOR_TOKEN");
    if (token == null || token.isBlank()) {
      System.err.println("Set INLET_CONNECTOR_TOKEN to Inlet's connector token");
      System.exit(2);
    }
    SendMoneyResult result =
        QuiltSender.payTo(
            ilpUrl, token, QuiltSender.resolve(pointer), amount, amount, Duration.ofSeconds(60));
    System.out.printf(
        "delivered %s of %s in %d packets (%d rejected)%n",
        result.amountDelivered(),
        Long.toUnsignedString(amount),
        result.numFulfilledPackets(),
        result.numRejectPackets());
    System.exit(result.successfulPayment() ? 0 : 1);
  }
}
