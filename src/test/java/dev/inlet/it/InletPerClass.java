package dev.inlet.it;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of test classes that share one running Inlet (embedded PostgreSQL in a temporary directory)
 * across their tests. Its default account, served at {@code /.well-known/pay}, is named {@value
 * #defaultAccount}.
 */
abstract class InletPerClass {
  static final String defaultAccount = "shop";
  @TempDir static Path inletDataDir;
  static TestInlet inlet;

  @BeforeAll
  static void startInlet() {
    inlet = TestInlet.start(inletDataDir, Map.of("inlet.default-account", defaultAccount));
  }

  @AfterAll
  static void stopInlet() {
    inlet.close();
  }
}
