package dev.inlet.it;

import static dev.inlet.it.PayoutClient.amount;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code kill -9} of Inlet in the middle of a payout through a slow parent ({@link QuiltParent}
 * answering each Prepare after a delay, so many are unanswered at the kill), then a restart on the
 * same data directory: the payout ends {@code failed} once its lease ran out, the packets whose
 * answer was never recorded are listed in doubt (still reserved), no unit is paid twice (what the
 * receiver got is what was posted as sent plus at most what is in doubt), and the ledger check
 * passes. An operator then settles the in-doubt packets from what the receiver reports, and the
 * payout, the balance and the ledger agree with the receiver.
 */
class PayoutCrashTest {
  private static final String parentToken = "parent-token-at-least-32-characters-long";
  private static final long funded = 20_000_000;
  private static final long packet = 100_000;

  @TempDir Path dataDir;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aKilledPayoutEndsFailedWithItsUnansweredPacketsInDoubtAndNothingPaidTwice()
      throws Exception {
    try (QuiltParent parent = new QuiltParent(parentToken)) {
      Map<String, String> settings =
          Map.of(
              "inlet.uplink.url", parent.ilpUrl(),
              "inlet.uplink.token", parentToken,
              "inlet.spsp.allow-http", "true",
              "inlet.spsp.allow-private", "true",
              "inlet.payout.lease", "3s",
              "inlet.payout.max-in-flight", "4");
      int port = ChildInlet.freePort();
      int ilpPort = ChildInlet.freePort();
      Process child = ChildInlet.start(dataDir, port, ilpPort, settings);
      Optional<ProcessHandle> postmaster = Optional.empty();
      String id;
      String destination;
      try {
        ChildInlet.awaitReady(port);
        assertThat(post(port, "/admin/accounts", "{\"name\":\"vault\"}").statusCode())
            .isEqualTo(201);
        QuiltSender.payTo(
            "http://localhost:" + ilpPort + "/ilp",
            TestInlet.connectorToken,
            QuiltSender.resolve("$localhost:" + port + "/vault"),
            funded,
            1_000_000,
            Duration.ofSeconds(60));
        postmaster = ProcessHandle.of(postmasterPid());

        parent.maxPacketAmount = packet;
        parent.delay = Duration.ofMillis(500);
        HttpResponse<String> created =
            post(
                port,
                "/admin/payouts",
                TestInlet.json.writeValueAsString(
                    Map.of(
                        "account",
                        "vault",
                        "receiver",
                        parent.spspUrl("crash"),
                        "amount",
                        Long.toString(funded))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        id = TestInlet.json.readTree(created.body()).get("id").asString();
        destination = awaitSomeArrived(parent, port, id);

        child.destroyForcibly(); // SIGKILL mid-payout: Prepares in flight, answers lost
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
      // Let the parent finish answering what was in flight (to nobody), then stop the delay.
      Thread.sleep(1_500);
      parent.delay = Duration.ZERO;
      long arrived = parent.received(destination);

      try (TestInlet again = TestInlet.start(dataDir, settings)) {
        assertThat(postmaster.map(ProcessHandle::isAlive)).hasValue(false);
        JsonNode payout = PayoutClient.awaitEnd(again, id);

        assertThat(payout.get("state").asString()).as(payout.toString()).isEqualTo("failed");
        assertThat(payout.get("error").isNull()).as(payout.toString()).isFalse();
        long sent = amount(payout, "sent");
        List<JsonNode> inDoubt = PayoutClient.inDoubt(again, id);
        long doubtful = inDoubt.stream().mapToLong(i -> amount(i, "amount")).sum();
        assertThat(inDoubt).as("unanswered packets at the kill").isNotEmpty();
        assertThat(sent).as("answered packets before the kill").isGreaterThanOrEqualTo(3 * packet);
        assertThat(inDoubt)
            .allSatisfy(i -> assertThat(i.get("destination").asString()).isEqualTo(destination));
        // Nothing paid twice: what arrived is what was posted plus at most what is in doubt.
        assertThat(parent.received(destination)).isEqualTo(arrived);
        assertThat(arrived).isBetween(sent, sent + doubtful);
        assertThat(again.balance("vault")).isEqualTo(funded - sent);
        assertThat(PayoutClient.reserved(again, "vault")).isEqualTo(doubtful);
        PayoutClient.assertLedgerConsistent(again);

        // The operator settles them from the receiver's total: all packets are of one size.
        long unaccounted = arrived - sent;
        for (JsonNode item : inDoubt) {
          long amount = amount(item, "amount");
          boolean fulfilled = unaccounted >= amount;
          unaccounted -= fulfilled ? amount : 0;
          PayoutClient.settle(again, id, item, fulfilled ? amount : null);
        }
        assertThat(unaccounted).isZero();
        JsonNode settledPayout = PayoutClient.get(again, id);
        assertThat(amount(settledPayout, "sent")).isEqualTo(arrived);
        assertThat(amount(settledPayout, "delivered")).isEqualTo(arrived);
        assertThat(PayoutClient.inDoubt(again, id)).isEmpty();
        assertThat(again.balance("vault")).isEqualTo(funded - arrived);
        assertThat(PayoutClient.reserved(again, "vault")).isZero();
        PayoutClient.assertLedgerConsistent(again);
      } finally {
        postmaster.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroy);
      }
    }
  }

  /**
   * Waits until Inlet recorded a few packets of the payout as fulfilled while the parent's receiver
   * got more than that (packets in flight), and returns the payout's destination.
   */
  private String awaitSomeArrived(QuiltParent parent, int port, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonNode payout = TestInlet.json.readTree(get(port, "/admin/payouts/" + id).body());
      assertThat(payout.get("state").asString()).as(payout.toString()).isEqualTo("sending");
      JsonNode destination = payout.get("destination");
      // Some answered and recorded, more in flight (the parent's receiver counts before its delay).
      if (destination != null
          && !destination.isNull()
          && amount(payout, "sent") >= 3 * packet
          && parent.received(destination.asString()) > amount(payout, "sent")) {
        return destination.asString();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("nothing of the payout arrived within 60 s");
  }

  private HttpResponse<String> post(int port, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + TestInlet.adminToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + TestInlet.adminToken)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private long postmasterPid() throws Exception {
    return Long.parseLong(
        Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).strip());
  }
}
