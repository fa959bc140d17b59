package dev.inlet.it;

import static dev.inlet.it.ReceiverTest.money;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.it.TestSender.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the database gone, a Prepare is rejected T00 (nothing credited; the connector may retry)
 * within the pool's connection timeout, about 2 s: not held for HikariCP's default 30 s, by when a
 * sender's Prepare has expired.
 */
class DatabaseDownTest {
  /** The connection timeout, a batch already waiting on it, and slack for a shared machine. */
  private static final Duration promptly = Duration.ofSeconds(6);

  @TempDir Path dataDir;

  @Test
  void aPrepareIsRejectedWithT00WithinSecondsWhenTheDatabaseIsDown() throws Exception {
    try (TestInlet inlet = TestInlet.start(dataDir)) {
      inlet.createAccount("offline", null);
      TestSender sender = TestSender.open(inlet, "offline");
      assertThat(sender.send(10, money(1)).fulfilled()).isTrue();

      stopDatabase(dataDir.resolve("postgres"));
      long started = System.nanoTime();
      Reply reply = sender.send(10, money(1));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(reply.reject().code()).isEqualTo(IlpErrorCode.T00_INTERNAL_ERROR);
      assertThat(took).isLessThan(promptly);
    }
  }

  /** Fast shutdown (SIGINT): PostgreSQL ends every session and stops listening. */
  private static void stopDatabase(Path dataDirectory) throws Exception {
    long pid =
        Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    assertThat(new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor()).isZero();
    postmaster.onExit().get(30, TimeUnit.SECONDS);
  }
}
