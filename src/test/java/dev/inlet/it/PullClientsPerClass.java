package dev.inlet.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of test classes that pay out to the JavaScript reference STREAM client ({@link
 * PullClients}): one Inlet per class whose uplink is the clients' connector, and the ledger check
 * after every test.
 */
abstract class PullClientsPerClass {
  @TempDir static Path dataDir;
  static PullClients clients;
  static TestInlet inlet;

  @BeforeAll
  static void start() throws Exception {
    clients = PullClients.start();
    inlet = TestInlet.start(dataDir, clients.uplinkSettings());
  }

  @AfterAll
  static void stop() {
    try {
      if (inlet != null) {
        inlet.close();
      }
    } finally {
      if (clients != null) {
        clients.close();
      }
    }
  }

  @AfterEach
  void ledgerStillBalances() {
    PayoutClient.assertLedgerConsistent(inlet);
  }

  /** Creates account {@code name} and pays it {@code amount} over {@code /ilp} (Quilt's sender). */
  static void fund(String name, long amount) throws Exception {
    PayoutClient.fund(inlet, name, amount);
  }
}
