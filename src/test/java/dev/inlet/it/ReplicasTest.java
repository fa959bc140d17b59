package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.interledger.spsp.StreamConnectionDetails;
import org.interledger.stream.SendMoneyResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Inlet replicas on one PostgreSQL (an external database to them): a sender gets its SPSP
 * details from one and sends its packets alternately through both. Connection state lives in the
 * database, so totals, limits and the ledger stay exact.
 */
class ReplicasTest {
  @TempDir static Path dir;
  static TwoReplicas replicas;
  static TestInlet first;
  static TestInlet second;

  @BeforeAll
  static void start() throws Exception {
    replicas = TwoReplicas.start(dir, Map.of());
    first = replicas.first;
    second = replicas.second;
  }

  @AfterAll
  static void stop() throws Exception {
    replicas.close();
  }

  @Test
  void paymentThroughBothReplicasIsCreditedExactly() throws Exception {
    first.createAccount("ivan", null);
    StreamConnectionDetails details = QuiltSender.resolve("$localhost:" + first.port + "/ivan");

    SendMoneyResult result = payThroughBoth(details, Duration.ofSeconds(60));

    assertThat(result.successfulPayment()).isTrue();
    assertThat(first.balance("ivan")).isEqualTo(400_000L);
    assertThat(second.balance("ivan")).isEqualTo(400_000L);
    assertThat(second.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
  }

  @Test
  void receiveLimitHoldsAcrossReplicas() throws Exception {
    second.createAccount("judy", "150000");
    StreamConnectionDetails details = QuiltSender.resolve("$localhost:" + second.port + "/judy");

    SendMoneyResult result = payThroughBoth(details, Duration.ofSeconds(8));

    long balance = first.balance("judy");
    assertThat(balance)
        .isEqualTo(result.amountDelivered().longValue())
        .isLessThanOrEqualTo(150_000L)
        .isPositive();
    assertThat(first.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
  }

  /** 400,000 in packets of at most 10,000, sent alternately through the two replicas. */
  private static SendMoneyResult payThroughBoth(StreamConnectionDetails details, Duration timeout)
      throws Exception {
    return QuiltSender.payTo(
        List.of(first.ilpUrl(), second.ilpUrl()),
        TestInlet.connectorToken,
        details,
        400_000,
        10_000,
        timeout);
  }
}
